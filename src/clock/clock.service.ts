import { Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@app/config/app-config';
import { calendarDateOf, type CalendarDate } from '@workflows/calendar/calendar';

/**
 * The one source of "now". Production follows the system clock; tests and the
 * demo set or move it, so years of deadlines pass in milliseconds.
 */
@Injectable()
export class ClockService {
  private offsetMs = 0;
  private frozenAt: number | null = null;

  /** CLOCK_START lets a demo or a test process run from another instant. */
  constructor(@Optional() config?: AppConfig) {
    if (config?.clockStart) this.runFrom(config.clockStart);
  }

  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }

  /** Today's calendar date in Europe/Stockholm. */
  today(): CalendarDate {
    return calendarDateOf(this.now().getTime());
  }

  /** Stop the clock at an instant (tests). */
  freeze(at: Date | string): void {
    this.frozenAt = new Date(at).getTime();
  }

  /** Keep running, but from another instant (demo). */
  runFrom(at: Date | string): void {
    this.frozenAt = null;
    this.offsetMs = new Date(at).getTime() - Date.now();
  }

  /** Move a frozen or running clock forward. */
  advance(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  /** Back to the system clock. */
  useSystemTime(): void {
    this.frozenAt = null;
    this.offsetMs = 0;
  }

  travelTo(at: Date | string): void {
    if (this.frozenAt !== null) this.freeze(at);
    else this.runFrom(at);
  }
}
