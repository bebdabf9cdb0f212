/** Who did something, as the audit history names them. */
export type ActorRole = 'administrator' | 'secretariat' | 'signatory' | 'member' | 'auditor' | 'system' | 'api';

/** What a person's account may be given (table account.roles). */
export const ACCOUNT_ROLES = ['administrator', 'secretariat', 'signatory', 'member', 'auditor'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export interface Actor {
  personId: string | null;
  name: string;
  /** The one role the audit history names (the account's principal role). */
  role: ActorRole;
  organisationId: string | null;
  organisationName: string | null;
  /** Every role of the person's account; empty without an account (system, anonymous API client). */
  roles: AccountRole[];
}

export const SYSTEM_ACTOR: Actor = {
  personId: null,
  name: 'Systemet (bevakning av datum)',
  role: 'system',
  organisationId: null,
  organisationName: null,
  roles: [],
};
