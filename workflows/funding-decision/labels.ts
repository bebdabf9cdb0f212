import type { DecisionOutcome, FollowUpKind, FundingDecisionEventType, FundingDecisionStateCode } from './types';

/** The Swedish words the UI and the e-mails use; one place, so they never drift apart. */
export const STATE_LABELS: Record<FundingDecisionStateCode, string> = {
  preparation: 'Förslag till beslut',
  on_agenda: 'På dagordningen',
  granted: 'Beviljat',
  refused: 'Avslaget',
  in_progress: 'Pågår',
  closed: 'Avslutat',
  withdrawn: 'Återkallat',
};

export const EVENT_LABELS: Record<FundingDecisionEventType, string> = {
  UPDATE_PROPOSAL: 'Ändra förslaget till beslut',
  PLACE_ON_AGENDA: 'Sätt upp på dagordningen',
  TAKE_OFF_AGENDA: 'Ta bort från dagordningen',
  DECIDE: 'Registrera nämndens beslut',
  REFER_BACK: 'Återremittera',
  WITHDRAW: 'Återkalla ärendet',
  RECORD_FOLLOW_UP: 'Registrera uppföljning',
  SEND_DECISION: 'Expediera beslutet',
  MEETING_RESCHEDULED: 'Sammanträdet flyttat',
  PERIOD_STARTED: 'Perioden har börjat',
  FOLLOW_UP_OVERDUE: 'Uppföljning försenad',
};

export const FOLLOW_UP_KIND_LABELS: Record<FollowUpKind, string> = {
  oral_check_in: 'Muntlig avstämning',
  written_evaluation: 'Skriftlig utvärdering',
};

export const OUTCOME_LABELS: Record<DecisionOutcome, string> = {
  granted: 'Beviljas',
  refused: 'Avslås',
};

/** Deadline kinds (deadlines.ts), for Bevakning, the digest, the calendar and incidents. */
export const DEADLINE_LABELS = {
  agenda_papers: 'Sista dag för handlingar till sammanträdet',
  period_start: 'Periodens start',
  oral_check_in: 'Muntlig avstämning på sammanträdet',
  written_evaluation: 'Skriftlig utvärdering på sammanträdet',
} as const;

export type FundingDeadlineKind = keyof typeof DEADLINE_LABELS;

export const stateLabel = (code: FundingDecisionStateCode): string => STATE_LABELS[code];
export const eventLabel = (type: FundingDecisionEventType): string => EVENT_LABELS[type];
