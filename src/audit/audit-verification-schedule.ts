import { addDays, calendarDateOf, localTimeInstant } from '@workflows/calendar/calendar';

/** The latest instant at or before `now` when the clock in Stockholm showed `hour`:00 (today's, or yesterday's before that hour). */
export function latestScheduledInstant(now: Date, hour: number): Date {
  const today = calendarDateOf(now.getTime());
  const todays = new Date(localTimeInstant(today, hour));
  return todays.getTime() <= now.getTime() ? todays : new Date(localTimeInstant(addDays(today, -1), hour));
}

/**
 * The nightly run is due when no run has finished that started at or after the latest `hour`:00
 * (Stockholm): an instance that was down at that hour runs it at its next look, and a run someone
 * started by hand after that hour counts for the night.
 */
export function verificationDue(now: Date, hour: number, latestDoneStartedAt: Date | null): boolean {
  return latestDoneStartedAt === null || latestDoneStartedAt.getTime() < latestScheduledInstant(now, hour).getTime();
}
