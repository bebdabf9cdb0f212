import { addDays, addMonths, startOfDayInstant, type CalendarDate } from '../calendar/calendar';
import { followUpObligations } from './follow-up';
import { decisionDueDate, extensionsRemaining } from './machine';
import { IN_FORCE_STATE_CODES, restore, stateCodeOf, type PersistedAgreement } from './persistence';
import type { FollowUpDuty } from './types';

/** How long before (or after) a date a reminder goes out. */
export interface ReminderOffset {
  months?: number;
  weeks?: number;
  days?: number;
}

export type ReminderKind =
  | 'decision_upcoming'
  | 'decision_overdue'
  | 'new_agreement_needed'
  | 'signature_missing'
  | 'meeting_upcoming'
  | 'meeting_overdue'
  | 'report_upcoming'
  | 'report_overdue';

/** Who receives it; the service turns an audience into addresses. */
export type ReminderAudience = 'samverkansgrupp_and_secretariat' | 'secretariat' | 'unsigned_signatories';

/** The reminder policy is data: defaults here, overrides per agreement. */
export interface ReminderPolicy {
  /** Before the extension decision is due; `{}` means on the day. */
  decisionDueBefore: ReminderOffset[];
  /** After the decision deadline passed without a decision, to the secretariat. */
  overdueEscalationAfter: ReminderOffset[];
  /** Before the end, when no extension remains or one was refused: a new agreement is needed. */
  newAgreementNeededBefore: ReminderOffset[];
  /** After the agreement was sent for signing, to those who have not signed. */
  signatureMissingAfter: ReminderOffset[];
  /** Before a follow-up duty (meeting, yearly report) falls due, to the samverkansgrupp and the secretariat. */
  followUpDueBefore: ReminderOffset[];
  /** After a follow-up duty was found overdue, to the secretariat. */
  followUpOverdueAfter: ReminderOffset[];
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = {
  decisionDueBefore: [{ months: 6 }, { months: 4 }, { months: 1 }, { weeks: 1 }, {}],
  overdueEscalationAfter: [{ days: 1 }, { weeks: 2 }],
  newAgreementNeededBefore: [{ months: 12 }, { months: 6 }],
  signatureMissingAfter: [{ weeks: 1 }, { weeks: 3 }],
  followUpDueBefore: [{ months: 1 }, { weeks: 1 }],
  followUpOverdueAfter: [{ days: 1 }, { weeks: 2 }],
};

/** Reminder kinds per follow-up duty: each its own kind, so one duty's reminder never supersedes another's. */
const FOLLOW_UP_REMINDERS: Record<FollowUpDuty, { upcoming: ReminderKind; overdue: ReminderKind }> = {
  meeting: { upcoming: 'meeting_upcoming', overdue: 'meeting_overdue' },
  yearly_report: { upcoming: 'report_upcoming', overdue: 'report_overdue' },
};

export function resolvePolicy(overrides: Partial<ReminderPolicy> | null | undefined): ReminderPolicy {
  return { ...DEFAULT_REMINDER_POLICY, ...(overrides ?? {}) };
}

export interface PlannedReminder {
  kind: ReminderKind;
  /** Stable within a cycle, e.g. 'decision_upcoming:6m', part of the outbox idempotency key. */
  key: string;
  cycle: number;
  audience: ReminderAudience;
  sendOn: CalendarDate;
  sendAt: string;
  /** The deadline the reminder is about. */
  deadlineDate: CalendarDate;
}

export function offsetLabel(offset: ReminderOffset): string {
  const parts = [
    offset.months ? `${offset.months}m` : '',
    offset.weeks ? `${offset.weeks}w` : '',
    offset.days ? `${offset.days}d` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('') : '0d';
}

function shift(date: CalendarDate, offset: ReminderOffset, direction: 1 | -1): CalendarDate {
  const moved = addMonths(date, direction * (offset.months ?? 0));
  return addDays(moved, direction * ((offset.weeks ?? 0) * 7 + (offset.days ?? 0)));
}

/** Every reminder the agreement's current state calls for under the policy, earliest first. */
export function reminderSchedule(persisted: PersistedAgreement, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY): PlannedReminder[] {
  const snapshot = restore(persisted);
  const context = snapshot.context;
  const state = stateCodeOf(snapshot.value);
  const planned: PlannedReminder[] = [];
  const add = (kind: ReminderKind, offset: ReminderOffset, cycle: number, audience: ReminderAudience, deadlineDate: CalendarDate, sendOn: CalendarDate): void => {
    planned.push({ kind, key: `${kind}:${offsetLabel(offset)}`, cycle, audience, sendOn, sendAt: startOfDayInstant(sendOn), deadlineDate });
  };

  const decisionCycle = context.extensionsUsed + 1;
  if ((state === 'active' && extensionsRemaining(context) > 0) || state === 'extensionDecision.pending') {
    const due = context.decision?.dueDate ?? decisionDueDate(context);
    if (due) {
      for (const offset of policy.decisionDueBefore) {
        add('decision_upcoming', offset, decisionCycle, 'samverkansgrupp_and_secretariat', due, shift(due, offset, -1));
      }
    }
  }
  if (state === 'extensionDecision.overdue' && context.decision) {
    const due = context.decision.dueDate;
    for (const offset of policy.overdueEscalationAfter) {
      add('decision_overdue', offset, context.decision.cycle, 'secretariat', due, shift(due, offset, 1));
    }
  }
  const endsForGood = (state === 'active' && extensionsRemaining(context) === 0) || state === 'extensionRefused';
  if (endsForGood && context.endDate) {
    for (const offset of policy.newAgreementNeededBefore) {
      add('new_agreement_needed', offset, context.extensionsUsed, 'samverkansgrupp_and_secretariat', context.endDate, shift(context.endDate, offset, -1));
    }
  }
  if (IN_FORCE_STATE_CODES.includes(state)) {
    // The cycle is the calendar year followed up: one duty's reminders, once per year.
    for (const o of followUpObligations(context).filter((x) => !x.fulfilled)) {
      const kinds = FOLLOW_UP_REMINDERS[o.duty];
      if (o.markedOverdue) {
        for (const offset of policy.followUpOverdueAfter) add(kinds.overdue, offset, o.year, 'secretariat', o.dueDate, shift(o.dueDate, offset, 1));
      } else {
        for (const offset of policy.followUpDueBefore) add(kinds.upcoming, offset, o.year, 'samverkansgrupp_and_secretariat', o.dueDate, shift(o.dueDate, offset, -1));
      }
    }
  }
  if (state === 'signing' && context.signingSince) {
    for (const offset of policy.signatureMissingAfter) {
      add('signature_missing', offset, context.signingRound, 'unsigned_signatories', context.signingSince, shift(context.signingSince, offset, 1));
    }
  }
  return planned.sort((a, b) => (a.sendOn < b.sendOn ? -1 : a.sendOn > b.sendOn ? 1 : 0));
}
