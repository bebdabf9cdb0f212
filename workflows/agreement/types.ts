import type { CalendarDate } from '../calendar/calendar';

export type { CalendarDate };

/** Kommunen or an idéburen organisation. */
export type PartyKind = 'municipality' | 'civil_society';

export interface Party {
  organisationId: string;
  name: string;
  kind: PartyKind;
}

export interface Validity {
  /** Gäller från och med. */
  startDate: CalendarDate | null;
  /** Till och med (inclusive). */
  endDate: CalendarDate | null;
}

export interface ExtensionTerms {
  /** Length of one extension, e.g. 24 for "två år i taget". */
  periodMonths: number;
  /** How many extensions the agreement allows, e.g. 2 for "högst två gånger". */
  maxExtensions: number;
  /** The decision is due this many months before the end ("senast tre månader före"). */
  decisionNoticeMonths: number;
  /** The decision phase opens this many months before the decision is due. */
  decisionWindowMonths: number;
}

export interface CostLine {
  label: string;
  /** Whole kronor per calendar year. */
  amountKr: number;
}

export interface Contribution {
  organisationId: string;
  amountKr: number;
  /** Share in hundredths of a per cent: 7000 = 70 %. */
  shareBasisPoints: number;
}

export interface Economics {
  costLines: CostLine[];
  totalKr: number;
  contributions: Contribution[];
  /** Yearly price and wage adjustment in hundredths of a per cent: 200 = 2 %. */
  indexationBasisPoints: number;
}

/**
 * What the agreement says about following it up ("Kunskapsinhämtning och uppföljning"):
 * Hoppfull framtid's parties meet "minst en gång per år" and Stadsmissionen reports "en gång per år
 * … skriftligt till arbetsmarknadsnämnden", on a date the parties agree.
 */
export interface FollowUpDuties {
  /** The samverkansgrupp meets at least this many times each calendar year; 0 = no such duty. */
  meetingsPerYear: number;
  /** A written report on each calendar year, due on this day of the following year; null = none. */
  yearlyReport: { dueMonth: number; dueDay: number } | null;
}

/** The terms the lifecycle depends on; text such as syfte and målgrupp lives in the service. */
export interface AgreementTerms {
  parties: Party[];
  validity: Validity;
  extension: ExtensionTerms | null;
  economics: Economics | null;
  /** Follow-up duties; absent or null when the agreement states none. */
  followUp?: FollowUpDuties | null;
}

export type FollowUpDuty = 'meeting' | 'yearly_report';
export const FOLLOW_UP_DUTIES: readonly FollowUpDuty[] = ['meeting', 'yearly_report'];

/** A meeting held or a report handed in; the record itself (who, notes, figures) lives in the service. */
export interface FollowUpRecord {
  duty: FollowUpDuty;
  year: number;
  /** The day the meeting was held, or the report handed in. */
  on: CalendarDate;
  /** The party that handed in the report; null for a meeting. */
  organisationId: string | null;
}

/** A duty whose date passed without it, as the clock found it. */
export interface OverdueFollowUp {
  duty: FollowUpDuty;
  year: number;
  dueDate: CalendarDate;
  /** The day the clock marked it. */
  on: CalendarDate;
}

/**
 * One version of the agreed terms that change over time (the economics). Version 1 is what every
 * party signed; each amendment (tillägg) agreed by every party adds the next, from a calendar year on.
 */
export interface TermsVersion {
  version: number;
  /** The first calendar year this version applies to; it applies until the next version's year. */
  effectiveFromYear: number;
  economics: Economics | null;
  /** Why the terms were changed; null for the signed original. */
  reason: string | null;
  /** The day the change was proposed; null for the signed original. */
  proposedOn: CalendarDate | null;
  /** Every party's agreement: the signatures for version 1, the amendment's agreements after. */
  agreedBy: PartyAct[];
}

/** An amendment proposed during the agreement, waiting for every party's signatory. */
export interface Amendment {
  /** The terms version it becomes when every party has agreed. */
  version: number;
  proposedOn: CalendarDate;
  effectiveFromYear: number;
  economics: Economics;
  reason: string;
  agreements: PartyAct[];
}

export type TerminationGround = 'material_breach' | 'insolvency' | 'misconduct';
export const TERMINATION_GROUNDS: readonly TerminationGround[] = ['material_breach', 'insolvency', 'misconduct'];

export interface PartyAct {
  organisationId: string;
  on: CalendarDate;
}

export interface ExtensionDecision {
  /** 1 for the first extension decision, 2 for the second, … */
  cycle: number;
  dueDate: CalendarDate;
  consents: PartyAct[];
  refusal: (PartyAct & { reason: string }) | null;
}

export interface Termination {
  kind: 'mutual' | 'declared';
  effectiveOn: CalendarDate;
  /** Set for a declared termination: a party's organisationId, or 'secretariat'. */
  declaredBy: string | null;
  ground: TerminationGround | null;
  reason: string | null;
}

export interface SettlementLine {
  organisationId: string;
  /** Costs actually incurred that this party is reimbursed, whole kronor. */
  amountKr: number;
}

export interface Settlement {
  recordedOn: CalendarDate;
  lines: SettlementLine[];
  note: string;
}

export interface AgreementContext {
  agreementId: string;
  proposedBy: string;
  proposedOn: CalendarDate;
  terms: AgreementTerms;
  /** First day of the current period, or of the coming one while renewed. */
  periodStart: CalendarDate | null;
  /** The agreed end date; moves by one extension period on each renewal. */
  endDate: CalendarDate | null;
  extensionsUsed: number;
  signingSince: CalendarDate | null;
  /** Counts sendings for signature, so reminders of an earlier round are not mistaken for this one. */
  signingRound: number;
  signatures: PartyAct[];
  decision: ExtensionDecision | null;
  /** Every extension decision taken, for the history and reminders. */
  pastDecisions: ExtensionDecision[];
  terminationConsents: PartyAct[];
  termination: Termination | null;
  settlement: Settlement | null;
  declineReason: string | null;
  lastReturn: (PartyAct & { reason: string }) | null;
  /** Follow-up meetings held and reports handed in (machine version 2). */
  followUps: FollowUpRecord[];
  /** Follow-up duties the clock found late; kept when the duty is met later. */
  overdueFollowUps: OverdueFollowUp[];
  /** The agreed versions of the terms, oldest first; empty until every party has signed. */
  termsVersions: TermsVersion[];
  /** An amendment waiting for the parties' agreement. */
  amendment: Amendment | null;
}

export interface AgreementInput {
  agreementId: string;
  /** The civil-society organisation behind the initiative. */
  proposedBy: string;
  proposedOn: CalendarDate;
  terms: AgreementTerms;
}

/** Every event carries `today`, the Stockholm date the engine's clock gives: the machine never reads a clock. */
interface Dated {
  today: CalendarDate;
}

export type AgreementEvent =
  | ({ type: 'ACCEPT_INITIATIVE' } & Dated)
  | ({ type: 'DECLINE_INITIATIVE'; reason: string } & Dated)
  | ({ type: 'UPDATE_TERMS'; terms: AgreementTerms } & Dated)
  | ({ type: 'SEND_FOR_SIGNING'; /** SHA-256 of the document rendered for this round (the service sets it). */ documentHash?: string } & Dated)
  | ({ type: 'SIGN'; organisationId: string; /** SHA-256 of the document the signatory was shown. */ documentHash?: string } & Dated)
  | ({ type: 'RETURN_TO_DRAFT'; organisationId: string; reason: string } & Dated)
  | ({ type: 'START_DATE_REACHED' } & Dated)
  | ({ type: 'DECISION_WINDOW_OPENED' } & Dated)
  | ({ type: 'CONSENT_TO_EXTENSION'; organisationId: string } & Dated)
  | ({ type: 'REFUSE_EXTENSION'; organisationId: string; reason: string } & Dated)
  | ({ type: 'DECISION_DEADLINE_PASSED' } & Dated)
  | ({ type: 'NEW_PERIOD_STARTED' } & Dated)
  | ({ type: 'END_DATE_PASSED' } & Dated)
  | ({ type: 'CONSENT_TO_TERMINATION'; organisationId: string } & Dated)
  | ({ type: 'DECLARE_TERMINATION'; declaredBy: string; ground: TerminationGround; reason: string } & Dated)
  | ({ type: 'RECORD_SETTLEMENT'; lines: SettlementLine[]; note: string } & Dated)
  | ({ type: 'RECORD_FOLLOW_UP_MEETING'; heldOn: CalendarDate } & Dated)
  | ({ type: 'SUBMIT_YEARLY_REPORT'; year: number; organisationId: string } & Dated)
  | ({ type: 'FOLLOW_UP_OVERDUE' } & Dated)
  | ({ type: 'PROPOSE_AMENDMENT'; effectiveFromYear: number; economics: Economics; reason: string } & Dated)
  | ({ type: 'AGREE_TO_AMENDMENT'; organisationId: string } & Dated)
  | ({ type: 'REFUSE_AMENDMENT'; organisationId: string; reason: string } & Dated)
  | ({ type: 'WITHDRAW_AMENDMENT'; reason: string } & Dated);

export type AgreementEventType = AgreementEvent['type'];

/** Events the clock sends; all others come from people. */
export const TIMER_EVENT_TYPES = [
  'START_DATE_REACHED',
  'DECISION_WINDOW_OPENED',
  'DECISION_DEADLINE_PASSED',
  'NEW_PERIOD_STARTED',
  'END_DATE_PASSED',
  'FOLLOW_UP_OVERDUE',
] as const satisfies readonly AgreementEventType[];

export type TimerEventType = (typeof TIMER_EVENT_TYPES)[number];

export const ALL_EVENT_TYPES: readonly AgreementEventType[] = [
  'ACCEPT_INITIATIVE',
  'DECLINE_INITIATIVE',
  'UPDATE_TERMS',
  'SEND_FOR_SIGNING',
  'SIGN',
  'RETURN_TO_DRAFT',
  'START_DATE_REACHED',
  'DECISION_WINDOW_OPENED',
  'CONSENT_TO_EXTENSION',
  'REFUSE_EXTENSION',
  'DECISION_DEADLINE_PASSED',
  'NEW_PERIOD_STARTED',
  'END_DATE_PASSED',
  'CONSENT_TO_TERMINATION',
  'DECLARE_TERMINATION',
  'RECORD_SETTLEMENT',
  'RECORD_FOLLOW_UP_MEETING',
  'SUBMIT_YEARLY_REPORT',
  'FOLLOW_UP_OVERDUE',
  'PROPOSE_AMENDMENT',
  'AGREE_TO_AMENDMENT',
  'REFUSE_AMENDMENT',
  'WITHDRAW_AMENDMENT',
];

export const DEFAULT_EXTENSION_TERMS: ExtensionTerms = {
  periodMonths: 24,
  maxExtensions: 2,
  decisionNoticeMonths: 3,
  decisionWindowMonths: 6,
};
