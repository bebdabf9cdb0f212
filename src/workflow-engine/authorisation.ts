import type { CaseKindDefinition, CaseRequester } from '@workflows/kernel/kernel';
import type { Actor } from '@app/audit/actor';
import { DomainError } from '@app/common/domain-error';

/** What an authorisation decision means for the engine: go on as `actor` (role = the capacity used), or refuse. */
export type Authorisation = { allowed: true; actor: Actor } | { allowed: false; error: DomainError; audit: boolean };

/** The person as every kind's rules see them (typed as the actor is, so a kind's narrower requester type accepts it too). */
export const requesterOf = (actor: Actor): CaseRequester & Pick<Actor, 'roles' | 'organisationKind'> => ({ personId: actor.personId, roles: actor.roles, organisationId: actor.organisationId, organisationKind: actor.organisationKind });

const isClockEvent = (definition: CaseKindDefinition, type: string): boolean =>
  (definition.events as Record<string, { clock?: boolean } | undefined>)[type]?.clock === true;

/**
 * Decides whether `actor` may send `command` to a case of this kind, by the kind's rules table.
 * Clock events only from the clock (the system actor), and the system actor sends nothing else.
 * A case the actor may not see is refused as not found, so its existence is not revealed.
 */
export function authorise(definition: CaseKindDefinition, actor: Actor, command: { type: string }, ruled: unknown): Authorisation {
  const clock = isClockEvent(definition, command.type);
  if (clock || actor.role === 'system') {
    const ok = clock && actor.role === 'system';
    return ok ? { allowed: true, actor } : { allowed: false, audit: true, error: new DomainError('forbidden', 'Bara systemets bevakning av datum skickar den händelsen.') };
  }
  if (!actor.personId) {
    return { allowed: false, audit: false, error: new DomainError('unauthenticated', 'Du måste logga in för att göra detta.') };
  }
  const permission = definition.rules.permission(requesterOf(actor), command, ruled);
  if (permission.allowed) return { allowed: true, actor: { ...actor, role: permission.role as Actor['role'] } };
  return {
    allowed: false,
    audit: true,
    error: permission.visible ? new DomainError('forbidden', permission.reason) : DomainError.notFound(definition.noun.definite),
  };
}
