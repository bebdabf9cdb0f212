import { addDays, startOfDayInstant, type CalendarDate } from '../calendar/calendar';
import type { CaseDeadline } from '../kernel/kernel';
import type { FundingDeadlineKind } from './labels';
import { isMarkedOverdue, isRecorded } from './proposal';
import { currentOf, type PersistedFundingDecision } from './persistence';
import { FOLLOWED_UP_STATE_CODES, type FundingDecisionContext, type FundingDecisionStateCode, type FundingFollowUp, type TimerEventType } from './types';

/** A date that matters for a funding decision: a timer when it has an event, else shown only. */
export interface FundingDeadline extends CaseDeadline {
  kind: FundingDeadlineKind;
  dueDate: CalendarDate;
  event: TimerEventType | null;
  scheduledIn: FundingDecisionStateCode;
}

/** The day after an inclusive last day: when it has passed. */
const dayAfter = (date: CalendarDate): CalendarDate => addDays(date, 1);

function at(
  kind: FundingDeadlineKind,
  cycle: number,
  dueDate: CalendarDate,
  effectiveOn: CalendarDate,
  event: TimerEventType | null,
  scheduledIn: FundingDecisionStateCode,
  overdue = false,
): FundingDeadline {
  return { kind, cycle, dueDate, firesAt: startOfDayInstant(effectiveOn), event, scheduledIn, overdue };
}

/** The follow-ups still to be held, each with its number in the proposal (the deadline's cycle). */
export function pendingFollowUps(context: FundingDecisionContext): Array<{ followUp: FundingFollowUp; cycle: number; overdue: boolean }> {
  return context.proposal.followUps
    .map((followUp, cycle) => ({ followUp, cycle, overdue: isMarkedOverdue(context, followUp.key) }))
    .filter(({ followUp }) => !isRecorded(context, followUp.key));
}

/** How many times the case has been put on an agenda: the agenda deadline's cycle (1 = the first time). */
export const agendaRound = (context: FundingDecisionContext): number => context.referrals.length + context.takenOffAgenda.length + 1;

/**
 * Every deadline of the case in its current state, earliest first:
 * - on the agenda: the meeting's last day for papers, shown only (the secretariat acts, the clock does not);
 * - granted: the period's start, which moves the case to Pågår;
 * - granted or in progress: each follow-up not yet held. Its date is its meeting's last day for papers
 *   (the check-in "at the September meeting" needs its papers in by then); the clock marks it overdue
 *   the day after the meeting passed without it, and from then it is shown overdue and fires nothing.
 */
export function deadlinesOf(persisted: PersistedFundingDecision): FundingDeadline[] {
  const { state, context } = currentOf(persisted);
  const deadlines: FundingDeadline[] = [];
  if (state === 'on_agenda' && context.agenda) {
    deadlines.push(at('agenda_papers', agendaRound(context), context.agenda.papersDueOn, dayAfter(context.agenda.papersDueOn), null, state));
  }
  if (state === 'granted') {
    const start = context.proposal.period.startDate;
    deadlines.push(at('period_start', 0, start, start, 'PERIOD_STARTED', state));
  }
  if (FOLLOWED_UP_STATE_CODES.includes(state)) {
    for (const { followUp, cycle, overdue } of pendingFollowUps(context)) {
      const { meeting } = followUp;
      deadlines.push(at(followUp.kind, cycle, meeting.papersDueOn, dayAfter(meeting.date), overdue ? null : 'FOLLOW_UP_OVERDUE', state, overdue));
    }
  }
  return deadlines.sort((a, b) => (a.firesAt < b.firesAt ? -1 : a.firesAt > b.firesAt ? 1 : a.cycle - b.cycle));
}

/** The deadlines the service must fire: rows of its timer table. */
export function timersOf(persisted: PersistedFundingDecision): FundingDeadline[] {
  return deadlinesOf(persisted).filter((d) => d.event !== null);
}
