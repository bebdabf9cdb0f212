import { digestDueAt, isoWeekOf, mondayOf } from './iso-week';

describe('ISO weeks for the weekly digest', () => {
  it.each([
    ['2025-09-29', '2025-W40'],
    ['2025-10-05', '2025-W40'],
    ['2024-12-30', '2025-W01'],
    ['2021-01-03', '2020-W53'],
    ['2026-12-31', '2026-W53'],
  ])('%s is in %s', (date, week) => expect(isoWeekOf(date)).toBe(week));

  it('is due from Monday 07:00 in Stockholm, summer and winter time', () => {
    expect(mondayOf('2025-10-09')).toBe('2025-10-06');
    expect(digestDueAt('2025-10-09').toISOString()).toBe('2025-10-06T05:00:00.000Z');
    expect(digestDueAt('2025-10-27').toISOString()).toBe('2025-10-27T06:00:00.000Z');
  });
});
