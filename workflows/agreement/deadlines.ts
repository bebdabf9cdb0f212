import { addDays, addMonths, startOfDayInstant, type CalendarDate } from '../calendar/calendar';
import { followUpObligations } from './follow-up';
import { decisionDueDate, decisionWindowOpens, extensionsRemaining } from './machine';
import { IN_FORCE_STATE_CODES, restore, stateCodeOf, type AgreementStateCode, type PersistedAgreement } from './persistence';
import type { AgreementContext, FollowUpDuty, TimerEventType } from './types';

/** Dates of the lifecycle itself. */
export type DeadlineKind = 'start' | 'decision_window' | 'decision_due' | 'period_start' | 'end';

/** Dates of the follow-up duties, one per duty and calendar year (the cycle). */
export type FollowUpDeadlineKind = 'follow_up_meeting' | 'yearly_report';

/** Every kind of date an agreement has. */
export type AnyDeadlineKind = DeadlineKind | FollowUpDeadlineKind;

export const FOLLOW_UP_DEADLINE_KIND: Record<FollowUpDuty, FollowUpDeadlineKind> = { meeting: 'follow_up_meeting', yearly_report: 'yearly_report' };

/**
 * A date that matters for an agreement. With an `event` it is a timer the
 * service must fire at `firesAt`; without, it is shown (Bevakning) but fires nothing.
 */
export interface Deadline {
  kind: AnyDeadlineKind;
  /** Extension decision number for decision deadlines, the calendar year for follow-up duties, else the period number (0 = first period). */
  cycle: number;
  /** The calendar date the deadline names: the start date, the last day to decide, the last day in force. */
  dueDate: CalendarDate;
  /** The instant (UTC ISO) the event is due: the start of the day it takes effect, in Stockholm. */
  firesAt: string;
  event: TimerEventType | null;
  /** The state the deadline was derived in; a timer finding another state is skipped. */
  scheduledIn: AgreementStateCode;
  /** A follow-up duty whose date passed without it (the clock marked it); it stays until met. */
  overdue: boolean;
}

function at(
  kind: AnyDeadlineKind,
  cycle: number,
  dueDate: CalendarDate,
  effectiveOn: CalendarDate,
  event: TimerEventType | null,
  scheduledIn: AgreementStateCode,
  overdue = false,
): Deadline {
  return { kind, cycle, dueDate, firesAt: startOfDayInstant(effectiveOn), event, scheduledIn, overdue };
}

/** The day after an inclusive last day: when "till och med" has passed. */
const dayAfter = (date: CalendarDate): CalendarDate => addDays(date, 1);

/**
 * One deadline per follow-up duty not yet met: the clock fires FOLLOW_UP_OVERDUE the day after its
 * last day; once marked overdue it fires nothing more and is shown as overdue until it is met.
 */
function followUpDeadlines(context: AgreementContext, state: AgreementStateCode): Deadline[] {
  if (!IN_FORCE_STATE_CODES.includes(state)) return [];
  return followUpObligations(context)
    .filter((o) => !o.fulfilled)
    .map((o) => at(FOLLOW_UP_DEADLINE_KIND[o.duty], o.year, o.dueDate, dayAfter(o.dueDate), o.markedOverdue ? null : 'FOLLOW_UP_OVERDUE', state, o.markedOverdue));
}

/** Every deadline of the agreement in its current state, earliest first. */
export function deadlinesOf(persisted: PersistedAgreement): Deadline[] {
  const snapshot = restore(persisted);
  const context = snapshot.context;
  const state = stateCodeOf(snapshot.value);
  const { periodStart, endDate, extensionsUsed } = context;
  const deadlines: Deadline[] = [];
  const period = extensionsUsed;
  const cycle = extensionsUsed + 1;
  const end = (event: TimerEventType | null): void => {
    if (endDate) deadlines.push(at('end', period, endDate, dayAfter(endDate), event, state));
  };

  switch (state) {
    case 'signed':
      if (periodStart) deadlines.push(at('start', period, periodStart, periodStart, 'START_DATE_REACHED', state));
      end(null);
      break;
    case 'active': {
      const opens = decisionWindowOpens(context);
      const due = decisionDueDate(context);
      if (extensionsRemaining(context) > 0 && opens && due) {
        deadlines.push(at('decision_window', cycle, opens, opens, 'DECISION_WINDOW_OPENED', state));
        deadlines.push(at('decision_due', cycle, due, dayAfter(due), null, state));
      }
      end('END_DATE_PASSED');
      break;
    }
    case 'extensionDecision.pending':
      if (context.decision) {
        const due = context.decision.dueDate;
        deadlines.push(at('decision_due', context.decision.cycle, due, dayAfter(due), 'DECISION_DEADLINE_PASSED', state));
      }
      end('END_DATE_PASSED');
      break;
    case 'extensionDecision.overdue':
    case 'extensionRefused':
      end('END_DATE_PASSED');
      break;
    case 'renewed':
      if (periodStart) deadlines.push(at('period_start', period, periodStart, periodStart, 'NEW_PERIOD_STARTED', state));
      end(null);
      break;
    case 'initiative':
    case 'declined':
    case 'draft':
    case 'signing':
    case 'expired':
    case 'terminated.awaitingSettlement':
    case 'terminated.settled':
      break;
  }
  deadlines.push(...followUpDeadlines(context, state));
  return deadlines.sort((a, b) => (a.firesAt < b.firesAt ? -1 : a.firesAt > b.firesAt ? 1 : 0));
}

/** The deadlines the service must fire: rows of its timer table. */
export function timersOf(persisted: PersistedAgreement): Deadline[] {
  return deadlinesOf(persisted).filter((d) => d.event !== null);
}

/** The next date someone has to act on or watch, for the agreement list. */
export function nextDeadlineOf(persisted: PersistedAgreement): Deadline | null {
  return deadlinesOf(persisted)[0] ?? null;
}

/** The date the agreement can last until if every remaining extension is used. */
export function latestPossibleEnd(persisted: PersistedAgreement): CalendarDate | null {
  const snapshot = restore(persisted);
  const { context } = snapshot;
  const state = stateCodeOf(snapshot.value);
  // No extension can follow a refusal or an expiry; a termination ends the agreement when it takes effect.
  if (state === 'declined') return null;
  if (state === 'terminated.awaitingSettlement' || state === 'terminated.settled') return context.termination?.effectiveOn ?? null;
  if (state === 'extensionRefused' || state === 'expired') return context.endDate;
  const extension = context.terms.extension;
  let end = context.endDate ?? context.terms.validity.endDate;
  if (!end) return null;
  // One period at a time, as the renewals move it: a month end in one year need not be one in another.
  for (let i = 0; i < extensionsRemaining(context); i += 1) end = addMonths(end, extension?.periodMonths ?? 0);
  return end;
}

/** The dates a person reads an agreement by, each with what it is for (the agreement page). */
export interface KeyDates {
  /** Gäller från och med (the first period's start). */
  start: CalendarDate | null;
  /** Gäller till och med: the current last day in force. */
  end: CalendarDate | null;
  /** The last day to decide on the next extension; null when none can follow. */
  decisionDue: CalendarDate | null;
  /** The day the decision can be taken from (the reminders start around it). */
  decisionOpens: CalendarDate | null;
  /** Which extension the decision is about: 1 for the first. */
  decisionCycle: number | null;
  /** The last day if every remaining extension is used. */
  latestPossibleEnd: CalendarDate | null;
  extensionsUsed: number;
  extensionsRemaining: number;
  /** The follow-up duties not yet met, earliest first, each with its year. */
  followUps: Array<{ kind: FollowUpDeadlineKind; year: number; dueDate: CalendarDate; overdue: boolean }>;
}

const ENDED: readonly AgreementStateCode[] = ['declined', 'expired', 'extensionRefused', 'terminated.awaitingSettlement', 'terminated.settled'];

/**
 * The agreement's key dates in its current state, from the same rules as its deadlines: before
 * signing from the terms (what the dates will be), once in force from the lifecycle's context.
 */
export function keyDatesOf(persisted: PersistedAgreement): KeyDates {
  const snapshot = restore(persisted);
  const context = snapshot.context;
  const state = stateCodeOf(snapshot.value);
  const end = context.endDate ?? context.terms.validity.endDate;
  const planned = { ...context, endDate: end };
  const remaining = state === 'declined' || state.startsWith('terminated') ? 0 : extensionsRemaining(context);
  const deciding = context.decision && (state === 'extensionDecision.pending' || state === 'extensionDecision.overdue') ? context.decision : null;
  const canDecide = !ENDED.includes(state) && remaining > 0;
  return {
    start: context.terms.validity.startDate,
    end: state.startsWith('terminated') ? (context.termination?.effectiveOn ?? end) : end,
    decisionDue: deciding ? deciding.dueDate : canDecide ? decisionDueDate(planned) : null,
    decisionOpens: deciding || !canDecide ? null : decisionWindowOpens(planned),
    decisionCycle: deciding ? deciding.cycle : canDecide ? context.extensionsUsed + 1 : null,
    latestPossibleEnd: latestPossibleEnd(persisted),
    extensionsUsed: context.extensionsUsed,
    extensionsRemaining: ENDED.includes(state) ? 0 : remaining,
    followUps: deadlinesOf(persisted)
      .filter((d) => d.kind === 'follow_up_meeting' || d.kind === 'yearly_report')
      .map((d) => ({ kind: d.kind as FollowUpDeadlineKind, year: d.cycle, dueDate: d.dueDate, overdue: d.overdue })),
  };
}
