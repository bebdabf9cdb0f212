/** Who did something, as the audit history names them. */
export type ActorRole = 'administrator' | 'secretariat' | 'signatory' | 'member' | 'auditor' | 'system' | 'api';

export interface Actor {
  personId: string | null;
  name: string;
  role: ActorRole;
  organisationId: string | null;
  organisationName: string | null;
}

export const SYSTEM_ACTOR: Actor = {
  personId: null,
  name: 'Systemet (bevakning av datum)',
  role: 'system',
  organisationId: null,
  organisationName: null,
};
