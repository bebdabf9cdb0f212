import { latestScheduledInstant, verificationDue } from './audit-verification-schedule';

describe('the nightly verification', () => {
  it('is due after 03:00 in Stockholm until a run that started after it has finished', () => {
    // 03:00 in Stockholm is 01:00 UTC in summer time.
    const night = new Date('2025-06-02T01:00:00Z');
    expect(latestScheduledInstant(new Date('2025-06-02T00:59:59Z'), 3)).toEqual(new Date('2025-06-01T01:00:00Z'));
    expect(latestScheduledInstant(new Date('2025-06-02T01:00:00Z'), 3)).toEqual(night);
    expect(verificationDue(new Date('2025-06-02T09:00:00Z'), 3, null)).toBe(true);
    expect(verificationDue(new Date('2025-06-02T09:00:00Z'), 3, new Date('2025-06-01T23:00:00Z'))).toBe(true);
    expect(verificationDue(new Date('2025-06-02T09:00:00Z'), 3, new Date('2025-06-02T01:00:00Z'))).toBe(false);
    expect(verificationDue(new Date('2025-06-02T00:30:00Z'), 3, new Date('2025-06-01T08:00:00Z'))).toBe(false);
  });

  it('follows winter time (03:00 is 02:00 UTC)', () => {
    expect(latestScheduledInstant(new Date('2025-12-01T12:00:00Z'), 3)).toEqual(new Date('2025-12-01T02:00:00Z'));
  });
});
