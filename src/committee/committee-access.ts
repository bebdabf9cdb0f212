import type { AccountRole, Actor } from '@app/audit/actor';
import { requireAnyRole } from '@app/auth/access';

/** The committee's papers (yearly report, visit records) are read by the office and those who audit it. */
export const COMMITTEE_READERS: readonly AccountRole[] = ['secretariat', 'auditor', 'administrator'];
/** Only the secretariat documents visits and writes their templates. */
export const COMMITTEE_WRITERS: readonly AccountRole[] = ['secretariat'];

const READERS_WORDS = 'nämndkansliet, revisorer och administratörer';

export const requireCommitteeReader = (actor: Actor, what: string): void => requireAnyRole(actor, COMMITTEE_READERS, `${READERS_WORDS} får ${what}`);

export const requireCommitteeWriter = (actor: Actor, what: string): void => requireAnyRole(actor, COMMITTEE_WRITERS, `nämndkansliet får ${what}`);
