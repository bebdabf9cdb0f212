import type { AgreementEventType, PartyKind, TerminationGround, TimerEventType } from './types';

/**
 * Who may do what to an agreement: the one table the engine enforces on every command and the
 * matrix test is generated from. Pure: it sees the person's roles and organisation, the command
 * and the agreement's parties, never a database.
 */

/** What a person's account may be given. */
export const PERSON_ROLES = ['administrator', 'secretariat', 'signatory', 'member', 'auditor'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/** Everything a person (not the clock) can ask of an agreement, including creating it and its reminder policy. */
export type PersonCommandType = Exclude<AgreementEventType, TimerEventType> | 'PROPOSE_INITIATIVE' | 'SET_REMINDER_POLICY';

/**
 * The capacities a command can be sent in:
 * - `secretariat`: the committee's nämndkansli, for the whole committee (no party of its own); never on a party's behalf.
 * - `member_of_proposing_organisation`: a member or signatory of the idéburen organisation the initiative comes from.
 * - `signatory_of_party_concerned`: a signatory of the party the command is for (its organisationId, or declaredBy),
 *   that party being a party of the agreement, and the person named as a firmatecknare on the agreement itself
 *   (its signatoryIds): the signatory role alone does not let anyone sign what names others. The machine's guards
 *   make it once per party.
 * - `member_of_party_concerned`: a member or signatory of the idéburen party the command is for (its organisationId),
 *   e.g. the partner handing in its yearly report.
 * - `secretariat_registering_received`: the nämndkansli registering an initiative that reached it on paper, by
 *   e-mail or otherwise (the command says how: `receivedVia`), on behalf of the organisation it names. Only this
 *   capacity sends a command with `receivedVia`: a member proposes for their own organisation without one.
 */
export type Capacity = 'secretariat' | 'member_of_proposing_organisation' | 'signatory_of_party_concerned' | 'member_of_party_concerned' | 'secretariat_registering_received';

export const COMMAND_RULES: Readonly<Record<PersonCommandType, readonly Capacity[]>> = {
  PROPOSE_INITIATIVE: ['member_of_proposing_organisation', 'secretariat_registering_received'],
  ACCEPT_INITIATIVE: ['secretariat'],
  DECLINE_INITIATIVE: ['secretariat'],
  UPDATE_TERMS: ['secretariat'],
  SEND_FOR_SIGNING: ['secretariat'],
  SIGN: ['signatory_of_party_concerned'],
  RETURN_TO_DRAFT: ['signatory_of_party_concerned'],
  CONSENT_TO_EXTENSION: ['signatory_of_party_concerned'],
  REFUSE_EXTENSION: ['signatory_of_party_concerned'],
  CONSENT_TO_TERMINATION: ['signatory_of_party_concerned'],
  // A party declares against another (declaredBy = the declaring party), or the secretariat does (declaredBy = 'secretariat').
  DECLARE_TERMINATION: ['signatory_of_party_concerned', 'secretariat'],
  RECORD_SETTLEMENT: ['secretariat'],
  SET_REMINDER_POLICY: ['secretariat'],
  // The municipality's representative convenes the samverkansgrupp; the secretariat records its meetings.
  RECORD_FOLLOW_UP_MEETING: ['secretariat'],
  // "Stadsmissionen åtar sig att en gång per år rapportera arbetet skriftligt": the partner, on its own behalf.
  SUBMIT_YEARLY_REPORT: ['member_of_party_concerned'],
  PROPOSE_AMENDMENT: ['secretariat'],
  AGREE_TO_AMENDMENT: ['signatory_of_party_concerned'],
  REFUSE_AMENDMENT: ['signatory_of_party_concerned'],
  WITHDRAW_AMENDMENT: ['secretariat'],
};

export const PERSON_COMMAND_TYPES = Object.keys(COMMAND_RULES) as PersonCommandType[];

/** Roles that see every agreement; members and signatories see only their organisation's. */
export const ROLES_SEEING_ALL: readonly PersonRole[] = ['administrator', 'secretariat', 'auditor'];

/** The person asking, as the rules need them. */
export interface Requester {
  /** Who it is, for the agreement's named signatories; absent = named on nothing. */
  personId?: string | null;
  roles: readonly PersonRole[];
  organisationId: string | null;
  organisationKind: PartyKind | null;
}

/** The command as far as the rules care: its type and the party it is sent for, if any. */
export interface RuledCommand {
  type: PersonCommandType;
  organisationId?: string;
  declaredBy?: string;
  ground?: TerminationGround;
  /** How an initiative the secretariat registers reached it ('paper', 'email', 'other'); absent when the organisation proposes itself. */
  receivedVia?: string;
}

/** The agreement as far as the rules care. */
export interface RuledAgreement {
  proposedBy: string;
  partyIds: readonly string[];
  /** The people the agreement names as its firmatecknare (any party); empty = nobody may sign for a party. */
  signatoryIds: readonly string[];
}

export type Permission =
  | { allowed: true; capacity: Capacity; role: PersonRole }
  | { allowed: false; visible: boolean; reason: string };

/** Whether the person may see the agreement at all; an unseen one is answered as if it did not exist. */
export function maySee(who: Requester, agreement: RuledAgreement): boolean {
  if (who.roles.some((r) => ROLES_SEEING_ALL.includes(r))) return true;
  if (!who.organisationId || !who.roles.some((r) => r === 'member' || r === 'signatory')) return false;
  return who.organisationId === agreement.proposedBy || agreement.partyIds.includes(who.organisationId);
}

/** The organisation a command is sent on behalf of, 'secretariat', or null when it names none. */
export function actsFor(command: RuledCommand): string | null {
  if (command.type === 'DECLARE_TERMINATION') return command.declaredBy ?? null;
  return command.organisationId ?? null;
}

const signsForOwnParty = (who: Requester, party: string | null, agreement: RuledAgreement): boolean =>
  who.roles.includes('signatory') && party !== null && party === who.organisationId && agreement.partyIds.includes(party);

const isNamedSignatory = (who: Requester, agreement: RuledAgreement): boolean => !!who.personId && agreement.signatoryIds.includes(who.personId);

/** Refusal for a signatory of the right party whom the agreement does not name. */
export const NOT_NAMED_SIGNATORY = 'Du är inte namngiven som firmatecknare i den här överenskommelsen. Bara de firmatecknare som överenskommelsen anger för din organisation får göra detta; be nämndkansliet ändra villkoren om det behövs.';

function roleFor(capacity: Capacity, who: Requester, command: RuledCommand, agreement: RuledAgreement): PersonRole | null {
  const party = actsFor(command);
  switch (capacity) {
    case 'secretariat':
      return who.roles.includes('secretariat') && (party === null || party === 'secretariat') ? 'secretariat' : null;
    case 'member_of_proposing_organisation': {
      const role = who.roles.find((r) => r === 'member' || r === 'signatory');
      return role && !command.receivedVia && who.organisationKind === 'civil_society' && who.organisationId === agreement.proposedBy ? role : null;
    }
    case 'secretariat_registering_received':
      return who.roles.includes('secretariat') && typeof command.receivedVia === 'string' && command.receivedVia !== '' ? 'secretariat' : null;
    case 'signatory_of_party_concerned':
      return signsForOwnParty(who, party, agreement) && isNamedSignatory(who, agreement) ? 'signatory' : null;
    case 'member_of_party_concerned': {
      const role = who.roles.find((r) => r === 'member' || r === 'signatory');
      const ownParty = party !== null && party === who.organisationId && agreement.partyIds.includes(party);
      return role && ownParty && who.organisationKind === 'civil_society' ? role : null;
    }
  }
}

const CAPACITY_WORDS: Record<Capacity, string> = {
  secretariat: 'nämndkansliet',
  member_of_proposing_organisation: 'en medlem i den idéburna organisation som tar initiativet',
  signatory_of_party_concerned: 'en firmatecknare för den part det gäller',
  member_of_party_concerned: 'en medlem eller firmatecknare i den idéburna part det gäller',
  secretariat_registering_received: 'nämndkansliet (för ett initiativ som kommit in på papper, med e-post eller på annat sätt)',
};

/** Who may send the command, in words, for refusals and the user interface. */
export function whoMay(type: PersonCommandType): string {
  return COMMAND_RULES[type].map((c) => CAPACITY_WORDS[c]).join(' eller ');
}

/** Decides one command: allowed in which capacity and role, or refused and why (in Swedish). */
export function permissionFor(who: Requester, command: RuledCommand, agreement: RuledAgreement): Permission {
  const visible = command.type === 'PROPOSE_INITIATIVE' || maySee(who, agreement);
  if (!visible) return { allowed: false, visible, reason: 'Överenskommelsen finns inte.' };
  for (const capacity of COMMAND_RULES[command.type]) {
    const role = roleFor(capacity, who, command, agreement);
    if (role) return { allowed: true, capacity, role };
  }
  const unnamed = COMMAND_RULES[command.type].includes('signatory_of_party_concerned') && signsForOwnParty(who, actsFor(command), agreement);
  return { allowed: false, visible, reason: unnamed ? NOT_NAMED_SIGNATORY : `Bara ${whoMay(command.type)} får göra detta.` };
}

/**
 * The agreement as the rules see it, from its context. `signatoryIds` are the firmatecknare its
 * terms name (the service's agreement_member rows of role signatory); leaving them out names nobody,
 * so nobody signs (fail closed).
 */
export const ruledAgreementOf = (context: { proposedBy: string; terms: { parties: ReadonlyArray<{ organisationId: string }> } }, signatoryIds: readonly string[] = []): RuledAgreement => ({
  proposedBy: context.proposedBy,
  partyIds: context.terms.parties.map((p) => p.organisationId),
  signatoryIds,
});
