import {
  addDays,
  addMonths,
  calendarDateOf,
  compareDates,
  daysInMonth,
  isAfter,
  isBefore,
  isCalendarDate,
  isLastDayOfMonth,
  isLeapYear,
  isOnOrAfter,
  startOfDayInstant,
  yearOf,
} from './calendar';

/** Every calendar date of a year, built without the code under test. */
function everyDayOf(year: number): string[] {
  const days: string[] = [];
  for (let month = 1; month <= 12; month += 1) {
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    for (let day = 1; day <= last; day += 1) {
      days.push(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
    }
  }
  return days;
}

describe('addMonths: how agreements count months', () => {
  it.each([
    // "senast tre månader före överenskommelsens utgång"
    ['2025-12-31', -3, '2025-09-30'],
    ['2027-12-31', -3, '2027-09-30'],
    ['2029-12-31', -3, '2029-09-30'],
    // the end of February in a leap year is a month end
    ['2028-02-29', -3, '2027-11-30'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2028-02-29', 1, '2028-03-31'],
    // and so is the 28th in a common year
    ['2027-02-28', -3, '2026-11-30'],
    ['2027-02-28', 12, '2028-02-29'],
    ['2025-04-30', 1, '2025-05-31'],
    // two years at a time: a month end stays a month end
    ['2025-12-31', 24, '2027-12-31'],
    ['2019-12-31', 48, '2023-12-31'],
  ])('%s %+d months is %s (month end stays month end)', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it.each([
    ['2025-01-30', 1, '2025-02-28'],
    ['2024-01-30', 1, '2024-02-29'],
    ['2025-03-30', -1, '2025-02-28'],
    ['2025-05-30', -1, '2025-04-30'],
    ['2024-08-29', 6, '2025-02-28'],
  ])('%s %+d months is clamped to %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it.each([
    ['2026-06-15', -3, '2026-03-15'],
    ['2024-05-30', 1, '2024-06-30'],
    ['2025-01-15', -1, '2024-12-15'],
    ['2025-11-10', 2, '2026-01-10'],
    ['2025-09-30', -6, '2025-03-31'],
    ['2025-06-12', 0, '2025-06-12'],
  ])('%s %+d months is %s (other days keep their number)', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('refuses what is not a calendar date', () => {
    expect(() => addMonths('2025-02-29', 1)).toThrow(RangeError);
    expect(() => addMonths('31/12/2025', 1)).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it.each([
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2025-01-01', 365, '2026-01-01'],
    ['2025-01-01', -366, '2024-01-01'],
    ['2027-12-31', 60, '2028-02-29'],
    ['2025-06-12', 0, '2025-06-12'],
    ['2020-02-29', 1461, '2024-02-29'],
  ])('%s %+d days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('agrees with UTC day arithmetic for every day of a leap year and the next year', () => {
    for (const date of [...everyDayOf(2028), ...everyDayOf(2029)]) {
      for (const days of [1, -1, 31, -45, 400]) {
        const expected = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
        expect(addDays(date, days)).toBe(expected);
      }
    }
  });
});

describe('startOfDayInstant: when a Stockholm day begins', () => {
  it.each([
    ['2026-01-01', '2025-12-31T23:00:00.000Z'], // winter time, UTC+1
    ['2026-07-01', '2026-06-30T22:00:00.000Z'], // summer time, UTC+2
    ['2026-03-28', '2026-03-27T23:00:00.000Z'],
    ['2026-03-29', '2026-03-28T23:00:00.000Z'], // clocks go forward at 02:00: midnight is still UTC+1
    ['2026-03-30', '2026-03-29T22:00:00.000Z'], // the first whole day of summer time
    ['2026-10-24', '2026-10-23T22:00:00.000Z'],
    ['2026-10-25', '2026-10-24T22:00:00.000Z'], // clocks go back at 03:00: midnight is still UTC+2
    ['2026-10-26', '2026-10-25T23:00:00.000Z'], // the first whole day of winter time
    ['2030-01-01', '2029-12-31T23:00:00.000Z'],
  ])('%s begins at %s', (date, instant) => {
    expect(startOfDayInstant(date)).toBe(instant);
  });

  it('makes the days around the changes 23 and 25 hours long, and every other day 24', () => {
    const hours = (date: string): number =>
      (Date.parse(startOfDayInstant(addDays(date, 1))) - Date.parse(startOfDayInstant(date))) / 3_600_000;
    expect(hours('2026-03-29')).toBe(23);
    expect(hours('2026-10-25')).toBe(25);
    const others = everyDayOf(2026).filter((d) => d !== '2026-03-29' && d !== '2026-10-25');
    expect(others.every((d) => hours(d) === 24)).toBe(true);
  });
});

describe('calendarDateOf: the Stockholm date of an instant', () => {
  it.each([
    ['2025-12-31T22:59:59.999Z', '2025-12-31'],
    ['2025-12-31T23:00:00.000Z', '2026-01-01'],
    ['2026-03-28T22:59:59.999Z', '2026-03-28'],
    ['2026-03-28T23:00:00.000Z', '2026-03-29'],
    ['2026-03-29T21:59:59.999Z', '2026-03-29'],
    ['2026-03-29T22:00:00.000Z', '2026-03-30'],
    ['2026-10-24T21:59:59.999Z', '2026-10-24'],
    ['2026-10-24T22:00:00.000Z', '2026-10-25'],
    ['2026-10-25T22:59:59.999Z', '2026-10-25'],
    ['2026-10-25T23:00:00.000Z', '2026-10-26'],
    ['2026-06-30T23:30:00+02:00', '2026-06-30'],
  ])('%s is %s in Stockholm', (instant, date) => {
    expect(calendarDateOf(instant)).toBe(date);
  });

  it('takes epoch milliseconds too', () => {
    expect(calendarDateOf(Date.parse('2029-12-31T23:00:00.000Z'))).toBe('2030-01-01');
    expect(calendarDateOf(Date.parse('2029-12-31T22:59:59.999Z'))).toBe('2029-12-31');
  });

  it('is the inverse of startOfDayInstant, and the millisecond before belongs to the day before, all year round', () => {
    for (const date of everyDayOf(2026)) {
      const start = startOfDayInstant(date);
      expect(calendarDateOf(start)).toBe(date);
      expect(calendarDateOf(Date.parse(start) - 1)).toBe(addDays(date, -1));
    }
  });

  it('refuses what is not an instant', () => {
    expect(() => calendarDateOf('den första januari')).toThrow(RangeError);
    expect(() => calendarDateOf(Number.NaN)).toThrow(RangeError);
  });
});

describe('isCalendarDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2025-12-31', '2025-01-01', '2025-04-30'])('accepts %s', (date) => {
    expect(isCalendarDate(date)).toBe(true);
  });

  it.each([
    '2025-02-29', // not a leap year
    '1900-02-29', // divisible by 100, not by 400
    '2025-04-31',
    '2025-13-01',
    '2025-00-10',
    '2025-01-00',
    '2025-1-01',
    '20250101',
    ' 2025-01-01',
    '2025-01-01T00:00:00Z',
    '',
  ])('rejects %j', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });

  it.each([null, undefined, 20250101, new Date('2025-01-01'), ['2025-01-01']])('rejects the non-string %p', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });
});

describe('the small helpers', () => {
  it('knows leap years and month lengths', () => {
    expect([2024, 2028, 2000].map(isLeapYear)).toEqual([true, true, true]);
    expect([2025, 2100, 1900].map(isLeapYear)).toEqual([false, false, false]);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2027, 2)).toBe(28);
    expect([1, 3, 4, 6, 9, 11, 12].map((m) => daysInMonth(2025, m))).toEqual([31, 31, 30, 30, 30, 30, 31]);
  });

  it('knows the last day of a month', () => {
    expect(isLastDayOfMonth('2025-12-31')).toBe(true);
    expect(isLastDayOfMonth('2027-02-28')).toBe(true);
    expect(isLastDayOfMonth('2028-02-28')).toBe(false);
    expect(isLastDayOfMonth('2025-09-30')).toBe(true);
    expect(isLastDayOfMonth('2025-10-30')).toBe(false);
  });

  it('compares dates as days, across years', () => {
    expect(compareDates('2025-12-31', '2026-01-01')).toBeLessThan(0);
    expect(compareDates('2026-01-01', '2025-12-31')).toBeGreaterThan(0);
    expect(compareDates('2026-01-01', '2026-01-01')).toBe(0);
    expect(isBefore('2025-12-31', '2026-01-01')).toBe(true);
    expect(isAfter('2025-12-31', '2026-01-01')).toBe(false);
    expect(isAfter('2026-01-01', '2026-01-01')).toBe(false);
    expect(isOnOrAfter('2026-01-01', '2026-01-01')).toBe(true);
    expect(isOnOrAfter('2025-12-31', '2026-01-01')).toBe(false);
    expect(yearOf('2029-12-31')).toBe(2029);
  });
});
