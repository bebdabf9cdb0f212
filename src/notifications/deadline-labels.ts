import type { AnyDeadlineKind } from '@workflows/agreement/deadlines';

/** What each kind of deadline means, in the words of the e-mails and the calendar. */
export const DEADLINE_LABELS: Record<AnyDeadlineKind, string> = {
  start: 'startdatum',
  decision_window: 'beslut om förlängning kan fattas från och med',
  decision_due: 'sista dag för beslut om förlängning',
  period_start: 'ny avtalsperiod börjar',
  end: 'sista giltighetsdag',
  follow_up_meeting: 'sista dag för årets uppföljningsmöte i samverkansgruppen',
  yearly_report: 'sista dag för den skriftliga årsrapporten till nämnden',
};
