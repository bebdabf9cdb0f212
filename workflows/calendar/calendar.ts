import { TZDate } from '@date-fns/tz';

/**
 * Calendar dates as the agreements write them: 'YYYY-MM-DD' in Europe/Stockholm.
 * Arithmetic is done on the numbers, never on instants, so daylight-saving
 * changes cannot move a date.
 */
export type CalendarDate = string;

export const AGREEMENT_TIME_ZONE = 'Europe/Stockholm';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Ymd {
  year: number;
  month: number; // 1–12
  day: number;
}

export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function toYmd(date: CalendarDate): Ymd {
  if (!isCalendarDate(date)) throw new RangeError(`Ogiltigt datum: ${String(date)}`);
  const [year, month, day] = date.split('-').map(Number);
  return { year, month, day };
}

function fromYmd({ year, month, day }: Ymd): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isLastDayOfMonth(date: CalendarDate): boolean {
  const { year, month, day } = toYmd(date);
  return day === daysInMonth(year, month);
}

/**
 * Moves a date by whole months the way agreements count them: the end of a
 * month stays the end of a month (2025-12-31 − 3 months = 2025-09-30,
 * 2028-02-29 − 3 months = 2027-11-30), other days are clamped to the target
 * month (2024-03-31 is a month end; 2024-05-30 + 1 month = 2024-06-30).
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const { year, month, day } = toYmd(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const last = daysInMonth(targetYear, targetMonth);
  const targetDay = day === daysInMonth(year, month) ? last : Math.min(day, last);
  return fromYmd({ year: targetYear, month: targetMonth, day: targetDay });
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  let { year, month, day } = toYmd(date);
  let remaining = days;
  while (remaining > 0) {
    const step = Math.min(remaining, daysInMonth(year, month) - day + 1);
    day += step;
    remaining -= step;
    if (day > daysInMonth(year, month)) {
      day = 1;
      month += 1;
      if (month > 12) {
        month = 1;
        year += 1;
      }
    }
  }
  while (remaining < 0) {
    const step = Math.min(-remaining, day);
    day -= step;
    remaining += step;
    if (day < 1) {
      month -= 1;
      if (month < 1) {
        month = 12;
        year -= 1;
      }
      day = daysInMonth(year, month);
    }
  }
  return fromYmd({ year, month, day });
}

/** Negative when a is before b; ISO dates compare as strings. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const isBefore = (a: CalendarDate, b: CalendarDate): boolean => a < b;
export const isAfter = (a: CalendarDate, b: CalendarDate): boolean => a > b;
export const isOnOrAfter = (a: CalendarDate, b: CalendarDate): boolean => a >= b;

export function yearOf(date: CalendarDate): number {
  return toYmd(date).year;
}

/** The instant (UTC ISO) at which a calendar day begins in Stockholm. */
export function startOfDayInstant(date: CalendarDate): string {
  const { year, month, day } = toYmd(date);
  const local = new TZDate(year, month - 1, day, AGREEMENT_TIME_ZONE);
  return new TZDate(local.getTime(), 'UTC').toISOString().replace('+00:00', 'Z');
}

/** The Stockholm calendar date of an instant. */
export function calendarDateOf(instant: string | number): CalendarDate {
  const millis = typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(millis)) throw new RangeError(`Ogiltig tidpunkt: ${String(instant)}`);
  const local = new TZDate(millis, AGREEMENT_TIME_ZONE);
  return fromYmd({ year: local.getFullYear(), month: local.getMonth() + 1, day: local.getDate() });
}

/** The instant (UTC ISO) of a local clock time on a calendar day in Stockholm, e.g. 08:00 for a reminder. */
export function localTimeInstant(date: CalendarDate, hours: number, minutes = 0): string {
  const { year, month, day } = toYmd(date);
  const local = new TZDate(year, month - 1, day, hours, minutes, AGREEMENT_TIME_ZONE);
  return new TZDate(local.getTime(), 'UTC').toISOString().replace('+00:00', 'Z');
}
