import { PERSON_ROLES, type PersonRole } from '@workflows/agreement/rules';
import type { PartyKind } from '@workflows/agreement/types';

/** Who did something, as the audit history names them. */
export type ActorRole = 'administrator' | 'secretariat' | 'signatory' | 'member' | 'auditor' | 'system' | 'api';

/** What a person's account may be given (table account.roles); the rules table owns the list. */
export const ACCOUNT_ROLES = PERSON_ROLES;
export type AccountRole = PersonRole;

export interface Actor {
  personId: string | null;
  name: string;
  /** The one role the audit history names (the account's principal role). */
  role: ActorRole;
  organisationId: string | null;
  organisationName: string | null;
  organisationKind: PartyKind | null;
  /** Every role of the person's account; empty without an account (system, anonymous API client). */
  roles: AccountRole[];
}

export const SYSTEM_ACTOR: Actor = {
  personId: null,
  name: 'Systemet (bevakning av datum)',
  role: 'system',
  organisationId: null,
  organisationName: null,
  organisationKind: null,
  roles: [],
};
