import { daysInMonth, isAfter, yearOf, type CalendarDate } from '../calendar/calendar';
import { FOLLOW_UP_DUTY_LABELS } from './labels';
import type { AgreementContext, FollowUpDuties, FollowUpDuty } from './types';

/**
 * The follow-up duties of an agreement as obligations per calendar year, a pure function of its
 * context ("ska gemensamt minst en gång per år träffas", "en gång per år rapportera skriftligt").
 *
 * - A samverkansgrupp meeting is due by 31 December of each year the agreement is in force
 *   (by its end date if it ends earlier), `meetingsPerYear` times.
 * - The written yearly report on year Y is due on the agreed day of year Y + 1.
 *
 * Only obligations that fall due on or before the agreement's current end date are tracked: the
 * report on the last year of a period appears when the agreement is renewed, and is part of the
 * close-out otherwise.
 */

export interface FollowUpObligation {
  duty: FollowUpDuty;
  /** The calendar year followed up. */
  year: number;
  dueDate: CalendarDate;
  /** Meetings required (1 for a report). */
  required: number;
  /** Meetings held or reports handed in for the year so far. */
  recorded: number;
  fulfilled: boolean;
  /** The clock found the date passed without it (FOLLOW_UP_OVERDUE); stays true once late. */
  markedOverdue: boolean;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The report's due date for a year; a day the month lacks (29 February) is the month's last day. */
export function reportDueDate(duties: NonNullable<FollowUpDuties['yearlyReport']>, year: number): CalendarDate {
  const reportYear = year + 1;
  const day = Math.min(duties.dueDay, daysInMonth(reportYear, duties.dueMonth));
  return `${reportYear}-${pad(duties.dueMonth)}-${pad(day)}`;
}

/** Every obligation of the agreement's in-force years, earliest due first (empty before signing). */
export function followUpObligations(context: AgreementContext): FollowUpObligation[] {
  const duties = context.terms.followUp ?? null;
  const start = context.terms.validity.startDate;
  const end = context.endDate;
  if (!duties || !start || !end) return [];
  const records = context.followUps ?? [];
  const marks = context.overdueFollowUps ?? [];
  const obligation = (duty: FollowUpDuty, year: number, dueDate: CalendarDate, required: number): FollowUpObligation => {
    const recorded = records.filter((r) => r.duty === duty && r.year === year).length;
    return {
      duty,
      year,
      dueDate,
      required,
      recorded,
      fulfilled: recorded >= required,
      markedOverdue: marks.some((m) => m.duty === duty && m.year === year),
    };
  };
  const out: FollowUpObligation[] = [];
  for (let year = yearOf(start); year <= yearOf(end); year += 1) {
    if (duties.meetingsPerYear > 0) {
      const yearEnd = `${year}-12-31`;
      out.push(obligation('meeting', year, isAfter(yearEnd, end) ? end : yearEnd, duties.meetingsPerYear));
    }
    if (duties.yearlyReport) {
      const due = reportDueDate(duties.yearlyReport, year);
      if (!isAfter(due, end)) out.push(obligation('yearly_report', year, due, 1));
    }
  }
  return out.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.duty < b.duty ? -1 : 1));
}

/** Obligations not yet met, whose last day is before `today` and that the clock has not yet marked. */
export function newlyOverdue(context: AgreementContext, today: CalendarDate): FollowUpObligation[] {
  return followUpObligations(context).filter((o) => !o.fulfilled && !o.markedOverdue && isAfter(today, o.dueDate));
}

/** Status words for views: fulfilled, overdue (marked by the clock and still not met) or upcoming. */
export type FollowUpStatus = 'fulfilled' | 'overdue' | 'upcoming';

export function statusOf(o: FollowUpObligation): FollowUpStatus {
  if (o.fulfilled) return 'fulfilled';
  return o.markedOverdue ? 'overdue' : 'upcoming';
}

/** One duty of one year as a page shows it: what, by when, how far, and its status. */
export interface FollowUpObligationView {
  duty: FollowUpDuty;
  dutyLabel: string;
  year: number;
  dueDate: CalendarDate;
  required: number;
  recorded: number;
  status: FollowUpStatus;
}

export function obligationViews(context: AgreementContext): FollowUpObligationView[] {
  return followUpObligations(context).map((o) => ({
    duty: o.duty,
    dutyLabel: FOLLOW_UP_DUTY_LABELS[o.duty],
    year: o.year,
    dueDate: o.dueDate,
    required: o.required,
    recorded: o.recorded,
    status: statusOf(o),
  }));
}
