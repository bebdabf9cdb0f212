import type { AgreementStateCode } from './persistence';
import type { AnyDeadlineKind } from './deadlines';
import type { AgreementEventType, FollowUpDuty, TerminationGround } from './types';

/** The Swedish words the UI and the e-mails use; one place, so they never drift apart. */
export const STATE_LABELS: Record<AgreementStateCode, string> = {
  initiative: 'Initiativ',
  declined: 'Avböjt initiativ',
  draft: 'Utkast',
  signing: 'Under signering',
  signed: 'Signerad',
  active: 'Gällande',
  'extensionDecision.pending': 'Beslut om förlängning',
  'extensionDecision.overdue': 'Beslut om förlängning försenat',
  extensionRefused: 'Förlängs inte',
  renewed: 'Förlängd',
  expired: 'Utgången',
  'terminated.awaitingSettlement': 'Hävd – ekonomisk reglering återstår',
  'terminated.settled': 'Hävd och reglerad',
};

export const EVENT_LABELS: Record<AgreementEventType, string> = {
  ACCEPT_INITIATIVE: 'Ta upp initiativet',
  DECLINE_INITIATIVE: 'Avböj initiativet',
  UPDATE_TERMS: 'Ändra villkor',
  SEND_FOR_SIGNING: 'Skicka för signering',
  SIGN: 'Signera',
  RETURN_TO_DRAFT: 'Återför till utkast',
  START_DATE_REACHED: 'Startdatum nått',
  DECISION_WINDOW_OPENED: 'Förlängningsbeslut öppnat',
  CONSENT_TO_EXTENSION: 'Samtyck till förlängning',
  REFUSE_EXTENSION: 'Avböj förlängning',
  DECISION_DEADLINE_PASSED: 'Beslutsfristen passerad',
  NEW_PERIOD_STARTED: 'Ny period påbörjad',
  END_DATE_PASSED: 'Slutdatum passerat',
  CONSENT_TO_TERMINATION: 'Samtyck till hävning',
  DECLARE_TERMINATION: 'Häv överenskommelsen',
  RECORD_SETTLEMENT: 'Registrera ekonomisk reglering',
  RECORD_FOLLOW_UP_MEETING: 'Registrera uppföljningsmöte',
  SUBMIT_YEARLY_REPORT: 'Lämna årsrapport',
  FOLLOW_UP_OVERDUE: 'Uppföljning försenad',
  PROPOSE_AMENDMENT: 'Föreslå tillägg',
  AGREE_TO_AMENDMENT: 'Godkänn tillägg',
  REFUSE_AMENDMENT: 'Avböj tillägg',
  WITHDRAW_AMENDMENT: 'Dra tillbaka tillägg',
};

export const FOLLOW_UP_DUTY_LABELS: Record<FollowUpDuty, string> = {
  meeting: 'Samverkansgruppens uppföljningsmöte',
  yearly_report: 'Skriftlig årsrapport till nämnden',
};

export const TERMINATION_GROUND_LABELS: Record<TerminationGround, string> = {
  material_breach: 'Väsentligt åsidosättande av överenskommelsen',
  insolvency: 'Obestånd',
  misconduct: 'Misskötsel som allvarligt rubbar förtroendet',
};

export const stateLabel = (code: AgreementStateCode): string => STATE_LABELS[code];
export const eventLabel = (type: AgreementEventType): string => EVENT_LABELS[type];

/** What each kind of deadline means, in the words of the e-mails, the digest and the calendar. */
export const DEADLINE_LABELS: Record<AnyDeadlineKind, string> = {
  start: 'startdatum',
  decision_window: 'beslut om förlängning kan fattas från och med',
  decision_due: 'sista dag för beslut om förlängning',
  period_start: 'ny avtalsperiod börjar',
  end: 'sista giltighetsdag',
  follow_up_meeting: 'sista dag för årets uppföljningsmöte i samverkansgruppen',
  yearly_report: 'sista dag för den skriftliga årsrapporten till nämnden',
};

/** Rows of the history that are not machine events: the agreement's creation and its reminder policy. */
export const HISTORY_EVENT_LABELS: Record<'PROPOSE_INITIATIVE' | 'SET_REMINDER_POLICY', string> = {
  PROPOSE_INITIATIVE: 'Initiativ registrerat',
  SET_REMINDER_POLICY: 'Påminnelser ändrade',
};

/** Any row of an agreement's history in words: an event, a history-only row, or the code as it is. */
export const historyEventLabel = (type: string): string =>
  (EVENT_LABELS as Record<string, string>)[type] ?? (HISTORY_EVENT_LABELS as Record<string, string>)[type] ?? type;

/** The role a history row was written in: an account's role, the clock or an API client. */
export const ACTOR_ROLE_LABELS: Record<string, string> = {
  administrator: 'administratör',
  secretariat: 'nämndkansliet',
  signatory: 'firmatecknare',
  member: 'medlem',
  auditor: 'revisor',
  system: 'systemet',
  api: 'API-klient',
};

export const actorRoleLabel = (role: string): string => ACTOR_ROLE_LABELS[role] ?? role;

/** A person's roles in words, "nämndkansliet, revisor", for the pages and messages (never the code). */
export const roleLabels = (roles: readonly string[]): string => roles.map(actorRoleLabel).join(', ');

/** What became of an attempt, as the history shows it. */
export const OUTCOME_LABELS: Record<string, string> = {
  applied: 'utförd',
  refused: 'nekad',
  forbidden: 'inte tillåten',
  skipped: 'hoppades över',
};

export const outcomeLabel = (outcome: string): string => OUTCOME_LABELS[outcome] ?? outcome;
