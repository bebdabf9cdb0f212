import { addDays, startOfDayInstant, type CalendarDate } from '@workflows/calendar/calendar';

/** 1 = Monday … 7 = Sunday, for a calendar date. */
export function isoWeekday(date: CalendarDate): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** ISO 8601 week of a calendar date, e.g. 2025-09-29 → "2025-W40"; 2024-12-30 → "2025-W01". */
export function isoWeekOf(date: CalendarDate): string {
  // The week belongs to the year of its Thursday.
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = Number(thursday.slice(0, 4));
  const dayOfYear = Math.round((Date.parse(`${thursday}T00:00:00Z`) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  const week = Math.ceil(dayOfYear / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday of the ISO week the date is in. */
export const mondayOf = (date: CalendarDate): CalendarDate => addDays(date, 1 - isoWeekday(date));

/**
 * The instant from which the week's digest is due: Monday 07:00 in Stockholm.
 * Start of day plus seven hours is exact on a Monday: the DST switches in
 * Europe/Stockholm happen on Sundays.
 */
export function digestDueAt(today: CalendarDate): Date {
  return new Date(new Date(startOfDayInstant(mondayOf(today))).getTime() + 7 * 3600_000);
}
