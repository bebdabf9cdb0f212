import { permissionFor } from '@workflows/agreement/rules';
import type { AccountRole, Actor } from '@app/audit/actor';
import { requesterOf } from '@app/workflow-engine/authorisation';
import { DomainError } from '@app/common/domain-error';
import type { RequestAuth } from '@app/auth/request-auth';

/** Who may open which part of the web interface; what is shown inside is then up to the services' rules. */
export const PAGE_ROLES = {
  watch: ['secretariat', 'administrator', 'auditor'],
  mine: ['signatory', 'member'],
  portfolio: ['secretariat', 'administrator', 'auditor', 'signatory', 'member'],
  audit: ['auditor', 'administrator'],
  report: ['secretariat', 'auditor', 'administrator'],
  visits: ['secretariat', 'auditor', 'administrator'],
  administration: ['administrator'],
  incidents: ['administrator', 'auditor'],
} as const satisfies Record<string, readonly AccountRole[]>;

export type WebArea = keyof typeof PAGE_ROLES;

/** Page areas and the Swedish name of who may open them, for the "you may not see this" page. */
const AREA_WORDS: Record<WebArea, string> = {
  watch: 'nämndkansliet, revisorer och administratörer',
  mine: 'firmatecknare och medlemmar i en part',
  portfolio: 'inloggade med en roll',
  audit: 'revisorer och administratörer',
  report: 'nämndkansliet, revisorer och administratörer',
  visits: 'nämndkansliet, revisorer och administratörer',
  administration: 'administratörer',
  incidents: 'administratörer och revisorer',
};

export const mayOpen = (actor: Actor, area: WebArea): boolean => actor.roles.some((r) => (PAGE_ROLES[area] as readonly AccountRole[]).includes(r));

/** Only a signed-in person (session cookie) uses the pages; anyone else is sent to the sign-in page. */
export function signedInActor(auth: RequestAuth): Actor {
  if (auth.method !== 'session' || !auth.actor.personId) throw new DomainError('unauthenticated', 'Du är inte inloggad.');
  return auth.actor;
}

export function requireArea(actor: Actor, area: WebArea): void {
  if (!mayOpen(actor, area)) throw new DomainError('forbidden', `Den här sidan är bara för ${AREA_WORDS[area]}.`);
}

/** A member or signatory of an idéburen organisation may propose an initiative for it (COMMAND_RULES). */
export const mayPropose = (actor: Actor): boolean =>
  // Asked of the rules table itself: could this person propose an initiative from their own organisation?
  actor.organisationId !== null &&
  permissionFor(requesterOf(actor), { type: 'PROPOSE_INITIATIVE' }, { proposedBy: actor.organisationId, partyIds: [actor.organisationId], signatoryIds: [] }).allowed;

/** The secretariat may register an initiative that came in on paper or by e-mail, on the organisation's behalf (COMMAND_RULES). */
export const mayRegisterReceived = (actor: Actor): boolean =>
  permissionFor(requesterOf(actor), { type: 'PROPOSE_INITIATIVE', receivedVia: 'paper' }, { proposedBy: '', partyIds: [], signatoryIds: [] }).allowed;

/** The page every role starts on: Att göra, what waits for the person now (Bevakning stays the calendar of dates). */
export function startPageOf(_actor: Actor): string {
  return '/att-gora';
}
