import { addDays, localTimeInstant, type CalendarDate } from '../calendar/calendar';
import type { CaseReminder } from '../kernel/kernel';
import { agendaRound, pendingFollowUps } from './deadlines';
import { currentOf, type PersistedFundingDecision } from './persistence';
import { FOLLOWED_UP_STATE_CODES, type FollowUpKind } from './types';

/**
 * The reminders a funding decision plans, as a pure function of the stored case:
 * - before a follow-up's paper deadline (14 and 3 days), to its officials and the secretariat;
 * - before the agenda meeting's paper deadline (7 days), to the officials preparing it;
 * - the day a follow-up is found overdue (the day after its meeting), to the officials and the secretariat.
 * All at 08:00 Stockholm time. Past ones are planned too: the service decides (sent or skipped) when sendAt comes.
 */

export type FundingReminderKind = 'agenda_papers_upcoming' | 'oral_check_in_upcoming' | 'written_evaluation_upcoming' | 'follow_up_overdue';

/** Who receives it; the service turns an audience into addresses (the proposal's officials, the committee's secretariat). */
export const FUNDING_REMINDER_AUDIENCES = ['officials', 'officials_and_secretariat'] as const;
export type FundingReminderAudience = (typeof FUNDING_REMINDER_AUDIENCES)[number];

/** Days before (or, for overdue, after) the date. The policy is data: defaults here, overrides per case. */
export interface FundingReminderPolicy {
  followUpPapersBefore: number[];
  agendaPapersBefore: number[];
  /** After the day the follow-up became overdue; 0 = that day. */
  followUpOverdueAfter: number[];
}

export const DEFAULT_FUNDING_REMINDER_POLICY: FundingReminderPolicy = {
  followUpPapersBefore: [14, 3],
  agendaPapersBefore: [7],
  followUpOverdueAfter: [0],
};

/** The local time reminders go out at. */
export const REMINDER_HOUR = 8;

export function resolveFundingPolicy(overrides: unknown): FundingReminderPolicy {
  const given = (overrides && typeof overrides === 'object' ? overrides : {}) as Partial<FundingReminderPolicy>;
  const days = (value: unknown, fallback: number[]): number[] =>
    Array.isArray(value) && value.every((d) => Number.isInteger(d) && d >= 0) ? (value as number[]) : fallback;
  return {
    followUpPapersBefore: days(given.followUpPapersBefore, DEFAULT_FUNDING_REMINDER_POLICY.followUpPapersBefore),
    agendaPapersBefore: days(given.agendaPapersBefore, DEFAULT_FUNDING_REMINDER_POLICY.agendaPapersBefore),
    followUpOverdueAfter: days(given.followUpOverdueAfter, DEFAULT_FUNDING_REMINDER_POLICY.followUpOverdueAfter),
  };
}

export interface FundingReminder extends CaseReminder {
  kind: FundingReminderKind;
  audience: FundingReminderAudience;
}

const UPCOMING: Record<FollowUpKind, FundingReminderKind> = {
  oral_check_in: 'oral_check_in_upcoming',
  written_evaluation: 'written_evaluation_upcoming',
};

/** Every reminder the case's current state calls for under the policy, earliest first. */
export function reminderSchedule(persisted: PersistedFundingDecision, policy: unknown = DEFAULT_FUNDING_REMINDER_POLICY): FundingReminder[] {
  const { state, context } = currentOf(persisted);
  const resolved = resolveFundingPolicy(policy);
  const planned: FundingReminder[] = [];
  // The key names what it is about (the meeting or the follow-up) and the offset, so a rescheduling keeps it.
  const add = (kind: FundingReminderKind, about: string, days: number, cycle: number, audience: FundingReminderAudience, deadlineDate: CalendarDate, sendOn: CalendarDate): void => {
    planned.push({ kind, key: `${kind}:${about}:${days}d`, cycle, audience, sendOn, sendAt: localTimeInstant(sendOn, REMINDER_HOUR), deadlineDate });
  };

  if (state === 'on_agenda' && context.agenda) {
    const due = context.agenda.papersDueOn;
    const cycle = agendaRound(context);
    for (const days of resolved.agendaPapersBefore) add('agenda_papers_upcoming', context.agenda.meetingId, days, cycle, 'officials', due, addDays(due, -days));
  }
  if (FOLLOWED_UP_STATE_CODES.includes(state)) {
    for (const { followUp, cycle, overdue } of pendingFollowUps(context)) {
      if (overdue) {
        const overdueOn = addDays(followUp.meeting.date, 1);
        for (const days of resolved.followUpOverdueAfter) add('follow_up_overdue', followUp.key, days, cycle, 'officials_and_secretariat', overdueOn, addDays(overdueOn, days));
      } else {
        const due = followUp.meeting.papersDueOn;
        for (const days of resolved.followUpPapersBefore) add(UPCOMING[followUp.kind], followUp.key, days, cycle, 'officials_and_secretariat', due, addDays(due, -days));
      }
    }
  }
  return planned.sort((a, b) => (a.sendAt < b.sendAt ? -1 : a.sendAt > b.sendAt ? 1 : a.cycle - b.cycle));
}
