import type { CalendarDate } from '../calendar/calendar';
import type { CommitteeMeeting } from '../calendar/meetings';

export type { CalendarDate } from '../calendar/calendar';
export type { CommitteeMeeting } from '../calendar/meetings';

/**
 * A funding decision (beslut om medel): the administration prepares a proposal (förslag till beslut),
 * the secretariat puts it on a committee meeting's agenda, the committee grants or refuses it or refers
 * it back (återremiss), and a grant is followed up at later meetings. Amounts are integer kronor.
 */

/** The kinds of follow-up a decision can ask for at a meeting. */
export const FOLLOW_UP_KINDS = ['oral_check_in', 'written_evaluation'] as const;
/** 'oral_check_in' = muntlig avstämning; 'written_evaluation' = skriftlig utvärdering (it closes the case). */
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

export interface FundingFollowUp {
  /** Stable within the case ('muntlig-avstamning-1'); records and deadlines name the follow-up by it. */
  key: string;
  kind: FollowUpKind;
  /** The meeting it is presented at ("på septembernämnden"). */
  meeting: CommitteeMeeting;
}

export interface ResponsibleOfficial {
  /** The person's account, when they have one; only then may they act on the case. */
  personId: string | null;
  name: string;
  email: string | null;
}

/** Whom the decision is sent to (expediering). */
export interface DecisionRecipient {
  name: string;
  email: string | null;
}

export interface FundingProposal {
  /** What the committee is asked to decide, in the proposal's words. */
  summary: string;
  amountKr: number;
  budgetLine: string;
  /** The organisation whose work the money pays for. */
  partner: { organisationId: string; name: string };
  /** Inclusive: the work the money pays for runs startDate–endDate. */
  period: { startDate: CalendarDate; endDate: CalendarDate };
  officials: ResponsibleOfficial[];
  recipients: DecisionRecipient[];
  followUps: FundingFollowUp[];
}

export const DECISION_OUTCOMES = ['granted', 'refused'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export interface CommitteeDecision {
  outcome: DecisionOutcome;
  /** The meeting's date: the committee decides when it meets, whenever the minutes are recorded. */
  decidedOn: CalendarDate;
  recordedOn: CalendarDate;
  meetingId: string;
  /** The minutes' paragraph, as written ('§ 87'). */
  paragraph: string;
}

/** The agenda left without a decision: referred back by the committee, or taken off by the secretariat. */
export interface AgendaExit {
  meetingId: string;
  on: CalendarDate;
  reason: string;
}

export interface FollowUpRecord {
  key: string;
  /** The day it was held or presented. */
  heldOn: CalendarDate;
  recordedOn: CalendarDate;
  note: string | null;
}

export interface OverdueFollowUp {
  key: string;
  /** The meeting date that passed without it. */
  meetingDate: CalendarDate;
  on: CalendarDate;
}

export interface FundingDecisionInput {
  caseId: string;
  committee: string;
  title: string;
  /** The administration preparing it ('Utbildningsförvaltningen'). */
  preparedBy: string;
  preparedOn: CalendarDate;
  proposal: FundingProposal;
}

/** The one truth of a case: the service projects its tables from this. */
export interface FundingDecisionContext extends FundingDecisionInput {
  /** The meeting it is (or was last) placed before; null in preparation. */
  agenda: CommitteeMeeting | null;
  decision: CommitteeDecision | null;
  referrals: AgendaExit[];
  takenOffAgenda: AgendaExit[];
  followUpRecords: FollowUpRecord[];
  overdueFollowUps: OverdueFollowUp[];
  expeditedOn: CalendarDate | null;
  withdrawal: { on: CalendarDate; reason: string } | null;
}

/** Every event carries the day it happens on (Europe/Stockholm); the machine never reads a clock. */
interface Dated {
  today: CalendarDate;
}

export type FundingDecisionEvent =
  | ({ type: 'UPDATE_PROPOSAL'; proposal: FundingProposal } & Dated)
  | ({ type: 'PLACE_ON_AGENDA'; meeting: CommitteeMeeting } & Dated)
  | ({ type: 'TAKE_OFF_AGENDA'; reason: string } & Dated)
  | ({ type: 'DECIDE'; outcome: DecisionOutcome; paragraph: string } & Dated)
  | ({ type: 'REFER_BACK'; reason: string } & Dated)
  | ({ type: 'WITHDRAW'; reason: string } & Dated)
  | ({ type: 'RECORD_FOLLOW_UP'; key: string; heldOn: CalendarDate; note?: string } & Dated)
  | ({ type: 'SEND_DECISION' } & Dated)
  | ({ type: 'MEETING_RESCHEDULED'; meeting: CommitteeMeeting } & Dated)
  | ({ type: 'PERIOD_STARTED' } & Dated)
  | ({ type: 'FOLLOW_UP_OVERDUE' } & Dated);

export type FundingDecisionEventType = FundingDecisionEvent['type'];

export const ALL_EVENT_TYPES: readonly FundingDecisionEventType[] = [
  'UPDATE_PROPOSAL',
  'PLACE_ON_AGENDA',
  'TAKE_OFF_AGENDA',
  'DECIDE',
  'REFER_BACK',
  'WITHDRAW',
  'RECORD_FOLLOW_UP',
  'SEND_DECISION',
  'MEETING_RESCHEDULED',
  'PERIOD_STARTED',
  'FOLLOW_UP_OVERDUE',
];

/** Sent by the clock when a deadline is reached, never by a person. */
export const TIMER_EVENT_TYPES = ['PERIOD_STARTED', 'FOLLOW_UP_OVERDUE'] as const;
export type TimerEventType = (typeof TIMER_EVENT_TYPES)[number];

export type FundingDecisionStateCode = 'preparation' | 'on_agenda' | 'granted' | 'refused' | 'in_progress' | 'closed' | 'withdrawn';

export const ALL_STATE_CODES: readonly FundingDecisionStateCode[] = ['preparation', 'on_agenda', 'granted', 'refused', 'in_progress', 'closed', 'withdrawn'];

/** States in which the grant is followed up. */
export const FOLLOWED_UP_STATE_CODES: readonly FundingDecisionStateCode[] = ['granted', 'in_progress'];

/** States no person event but the decision's expediering leaves. */
export const DECIDED_STATE_CODES: readonly FundingDecisionStateCode[] = ['granted', 'refused', 'in_progress', 'closed'];
