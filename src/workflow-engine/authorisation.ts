import { permissionFor, type PersonCommandType, type Requester, type RuledAgreement, type RuledCommand } from '@workflows/agreement/rules';
import { TIMER_EVENT_TYPES, type AgreementContext } from '@workflows/agreement/types';
import type { Actor } from '@app/audit/actor';
import { DomainError } from '@app/common/domain-error';

/** What an authorisation decision means for the engine: go on as `actor` (role = the capacity used), or refuse. */
export type Authorisation = { allowed: true; actor: Actor } | { allowed: false; error: DomainError; audit: boolean };

export const requesterOf = (actor: Actor): Requester => ({ personId: actor.personId, roles: actor.roles, organisationId: actor.organisationId, organisationKind: actor.organisationKind });

/**
 * The agreement as the rules see it. `signatoryIds` are the firmatecknare its terms name (the
 * agreement_member rows of role signatory); leaving them out names nobody, so nobody signs (fail closed).
 */
export const ruledAgreementOf = (context: Pick<AgreementContext, 'proposedBy' | 'terms'>, signatoryIds: readonly string[] = []): RuledAgreement => ({
  proposedBy: context.proposedBy,
  partyIds: context.terms.parties.map((p) => p.organisationId),
  signatoryIds,
});

const isTimerEvent = (type: string): boolean => (TIMER_EVENT_TYPES as readonly string[]).includes(type);

/**
 * Decides whether `actor` may send `command` to an agreement, by the rules table.
 * Timer events only from the clock (the system actor), and the system actor sends nothing else.
 * An agreement the actor may not see is refused as not found, so its existence is not revealed.
 */
export function authorise(actor: Actor, command: RuledCommand | { type: string }, agreement: RuledAgreement): Authorisation {
  if (isTimerEvent(command.type) || actor.role === 'system') {
    const ok = isTimerEvent(command.type) && actor.role === 'system';
    return ok ? { allowed: true, actor } : { allowed: false, audit: true, error: new DomainError('forbidden', 'Bara systemets bevakning av datum skickar den händelsen.') };
  }
  if (!actor.personId) {
    return { allowed: false, audit: false, error: new DomainError('unauthenticated', 'Du måste logga in för att göra detta.') };
  }
  const permission = permissionFor(requesterOf(actor), command as RuledCommand & { type: PersonCommandType }, agreement);
  if (permission.allowed) return { allowed: true, actor: { ...actor, role: permission.role } };
  return {
    allowed: false,
    audit: true,
    error: permission.visible ? new DomainError('forbidden', permission.reason) : DomainError.notFound('Överenskommelsen'),
  };
}
