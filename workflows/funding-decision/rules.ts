import type { CasePermission, CaseRequester, CaseRules } from '../kernel/kernel';
import type { FundingDecisionContext, FundingDecisionEventType, TimerEventType } from './types';

/**
 * Who may do what to a funding decision: the one table the engine enforces on every command and the
 * matrix test is generated from. Pure: it sees the person and the case as the rules need it, never a database.
 */

/** Everything a person (not the clock) can ask of a funding decision, including preparing a new one. */
export type FundingCommandType = Exclude<FundingDecisionEventType, TimerEventType> | 'PREPARE';

/**
 * The capacities a command can be sent in:
 * - `secretariat`: the committee's nämndkansli, which keeps the agenda, the minutes and the meeting calendar;
 * - `responsible_official`: a person the proposal names among its officials (by personId): they write the
 *   proposal and report its follow-ups.
 * The partner organisation's members and signatories see the case but send nothing.
 */
export type FundingCapacity = 'secretariat' | 'responsible_official';

export const FUNDING_COMMAND_RULES: Readonly<Record<FundingCommandType, readonly FundingCapacity[]>> = {
  PREPARE: ['secretariat'],
  UPDATE_PROPOSAL: ['secretariat', 'responsible_official'],
  PLACE_ON_AGENDA: ['secretariat'],
  TAKE_OFF_AGENDA: ['secretariat'],
  // The committee decides; the secretariat records what the minutes say.
  DECIDE: ['secretariat'],
  REFER_BACK: ['secretariat'],
  WITHDRAW: ['secretariat'],
  RECORD_FOLLOW_UP: ['secretariat', 'responsible_official'],
  SEND_DECISION: ['secretariat'],
  MEETING_RESCHEDULED: ['secretariat'],
};

export const FUNDING_COMMAND_TYPES = Object.keys(FUNDING_COMMAND_RULES) as FundingCommandType[];

export const FUNDING_CAPACITIES: readonly FundingCapacity[] = ['secretariat', 'responsible_official'];

/** Roles that see every funding decision. */
export const ROLES_SEEING_ALL: readonly string[] = ['administrator', 'secretariat', 'auditor'];

/** The case as far as the rules care. */
export interface RuledFundingDecision {
  /** The organisation the money goes to. */
  partnerId: string;
  /** The personIds of the officials the proposal names (those without an account left out). */
  officialIds: readonly string[];
}

export function ruledOf(context: Pick<FundingDecisionContext, 'proposal'>): RuledFundingDecision {
  return {
    partnerId: context.proposal.partner.organisationId,
    officialIds: context.proposal.officials.map((o) => o.personId).filter((id): id is string => typeof id === 'string' && id.length > 0),
  };
}

export type FundingPermission = ({ allowed: true; role: string; capacity: FundingCapacity }) | Extract<CasePermission, { allowed: false }>;

const isOfficial = (who: CaseRequester, ruled: RuledFundingDecision): boolean => !!who.personId && ruled.officialIds.includes(who.personId);

const isOfPartner = (who: CaseRequester, ruled: RuledFundingDecision): boolean =>
  who.organisationId !== null && who.organisationId === ruled.partnerId && who.roles.some((r) => r === 'member' || r === 'signatory');

/** Whether the person may see the case at all; an unseen one is answered as if it did not exist. */
export function maySeeFundingDecision(who: CaseRequester, ruled: RuledFundingDecision): boolean {
  return who.roles.some((r) => ROLES_SEEING_ALL.includes(r)) || isOfficial(who, ruled) || isOfPartner(who, ruled);
}

/** The account role the act is recorded under: the secretariat's, or for an official whichever role they hold. */
function roleFor(capacity: FundingCapacity, who: CaseRequester, ruled: RuledFundingDecision): string | null {
  switch (capacity) {
    case 'secretariat':
      return who.roles.includes('secretariat') ? 'secretariat' : null;
    case 'responsible_official':
      // An official need not hold any role of this system: being named on the proposal is what counts.
      return isOfficial(who, ruled) ? (who.roles[0] ?? 'member') : null;
  }
}

const CAPACITY_WORDS: Record<FundingCapacity, string> = {
  secretariat: 'nämndkansliet',
  responsible_official: 'en ansvarig handläggare för ärendet',
};

export function whoMayFund(type: string): string {
  const capacities = FUNDING_COMMAND_RULES[type as FundingCommandType] ?? [];
  return capacities.length ? capacities.map((c) => CAPACITY_WORDS[c]).join(' eller ') : 'ingen';
}

export const NOT_VISIBLE = 'Beslutet om medel finns inte.';

/** Decides one command: allowed in which capacity, or refused and why (in Swedish). */
export function fundingPermission(who: CaseRequester, command: { type: string }, ruled: RuledFundingDecision): FundingPermission {
  const visible = command.type === 'PREPARE' || maySeeFundingDecision(who, ruled);
  if (!visible) return { allowed: false, visible, reason: NOT_VISIBLE };
  const capacities = FUNDING_COMMAND_RULES[command.type as FundingCommandType];
  if (!capacities) return { allowed: false, visible, reason: `Okänt kommando för ett beslut om medel: ${command.type}.` };
  for (const capacity of capacities) {
    const role = roleFor(capacity, who, ruled);
    if (role) return { allowed: true, role, capacity };
  }
  return { allowed: false, visible, reason: `Bara ${whoMayFund(command.type)} får göra detta.` };
}

/** The rules table as the kernel's engine reads it. */
export const fundingDecisionRules: CaseRules<RuledFundingDecision> = {
  commands: FUNDING_COMMAND_RULES,
  maySee: maySeeFundingDecision,
  permission: fundingPermission,
  whoMay: whoMayFund,
};
