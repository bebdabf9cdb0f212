import { loadConfig } from '@app/config/app-config';
import { ClockService } from './clock.service';

describe('ClockService', () => {
  it('runs from CLOCK_START when it is set, and keeps running', () => {
    const sut = new ClockService(loadConfig({ CLOCK_START: '2027-09-30T09:00:00+02:00' }));
    expect(sut.today()).toBe('2027-09-30');
    sut.advance(24 * 3600_000);
    expect(sut.today()).toBe('2027-10-01');
  });

  it('gives Stockholm dates for instants around midnight', () => {
    const sut = new ClockService();
    sut.freeze('2025-09-30T22:00:00Z');
    expect(sut.today()).toBe('2025-10-01');
    sut.freeze('2025-09-30T21:59:59Z');
    expect(sut.today()).toBe('2025-09-30');
  });
});
