import type { AccountRole, Actor } from '@app/audit/actor';
import { DomainError } from '@app/common/domain-error';

/** 401 unless a person is acting (session, token or trusted header). */
export function requireSignedIn(actor: Actor): string {
  if (!actor.personId) throw new DomainError('unauthenticated', 'Du måste logga in.');
  return actor.personId;
}

/** 401 for the anonymous, 403 unless the person holds one of `roles`; `what` completes "Bara … får …". */
export function requireAnyRole(actor: Actor, roles: readonly AccountRole[], what: string): void {
  requireSignedIn(actor);
  if (!actor.roles.some((r) => roles.includes(r))) throw new DomainError('forbidden', `Bara ${what}.`);
}

/** Roles that run the committee's work and see every agreement's mail and failures. */
export const OFFICE_ROLES: readonly AccountRole[] = ['secretariat', 'administrator'];
