import { compareDates, isBefore, isCalendarDate, isOnOrAfter, type CalendarDate } from './calendar';

/**
 * A committee's meeting calendar (sammanträdesplan): the meeting dates of the year and the last
 * day for papers before each. Pure: the plan is data the secretariat keeps; these only read it.
 */
export interface CommitteeMeeting {
  /** Stable across a rescheduling, so a case that names the meeting follows it. */
  meetingId: string;
  committee: string;
  date: CalendarDate;
  /** The last day papers for the meeting are received; before `date`. */
  papersDueOn: CalendarDate;
}

export type MeetingPlan = readonly CommitteeMeeting[];

const byDate = (a: CommitteeMeeting, b: CommitteeMeeting): number => compareDates(a.date, b.date) || compareDates(a.papersDueOn, b.papersDueOn);

const hasText = (value: unknown): boolean => typeof value === 'string' && value.trim().length > 0;

/** What is wrong with a meeting, in Swedish, or null when it is a meeting the plan can hold. */
export function validateMeeting(meeting: CommitteeMeeting): string | null {
  if (!hasText(meeting.meetingId)) return 'Sammanträdet saknar id.';
  if (!hasText(meeting.committee)) return 'Sammanträdet saknar nämnd.';
  if (!isCalendarDate(meeting.date)) return `Sammanträdets datum är ogiltigt: ${String(meeting.date)}.`;
  if (!isCalendarDate(meeting.papersDueOn)) return `Sista dag för handlingar är ogiltig: ${String(meeting.papersDueOn)}.`;
  if (!isBefore(meeting.papersDueOn, meeting.date)) {
    return `Sista dag för handlingar (${meeting.papersDueOn}) måste infalla före sammanträdet (${meeting.date}).`;
  }
  return null;
}

/** Every problem of a plan: its meetings' own, and ids used twice. */
export function validatePlan(plan: MeetingPlan): string[] {
  const problems = plan.map(validateMeeting).filter((p): p is string => p !== null);
  const ids = plan.map((m) => m.meetingId);
  const twice = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  return [...problems, ...twice.map((id) => `Sammanträdet ${id} finns två gånger i planen.`)];
}

/** The committee's meetings, earliest first. */
export function meetingsOf(plan: MeetingPlan, committee: string): CommitteeMeeting[] {
  return plan.filter((m) => m.committee === committee).sort(byDate);
}

/**
 * The committee's meeting in a month ("septembernämnden"), or null. With several in the month the
 * last is taken: a follow-up "at the December meeting" is due at the latest one.
 */
export function meetingInMonth(plan: MeetingPlan, committee: string, year: number, month: number): CommitteeMeeting | null {
  const prefix = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-`;
  return meetingsOf(plan, committee).filter((m) => m.date.startsWith(prefix)).at(-1) ?? null;
}

/** The committee's first meeting on or after `today`, or null when the plan has none left. */
export function nextMeetingOn(plan: MeetingPlan, committee: string, today: CalendarDate): CommitteeMeeting | null {
  return meetingsOf(plan, committee).find((m) => isOnOrAfter(m.date, today)) ?? null;
}

/** The committee's first meeting whose papers can still be handed in on `today`, or null. */
export function nextMeetingWithPapersOpen(plan: MeetingPlan, committee: string, today: CalendarDate): CommitteeMeeting | null {
  return meetingsOf(plan, committee).find((m) => isOnOrAfter(m.papersDueOn, today)) ?? null;
}
