/**
 * Travels through time the way the service does: only by firing the timers
 * deadlinesOf() promises, each at its instant, with `today` the Stockholm date of that instant.
 */
import { calendarDateOf } from '../../calendar/calendar';
import { timersOf, type Deadline } from '../deadlines';
import { step, type AgreementStateCode, type PersistedAgreement } from '../persistence';
import type { CalendarDate, TimerEventType } from '../types';

export interface FiredTimer {
  event: TimerEventType;
  today: CalendarDate;
  firesAt: string;
  from: AgreementStateCode;
  to: AgreementStateCode;
}

export interface Travelled {
  persisted: PersistedAgreement;
  fired: FiredTimer[];
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Fires every timer due at or before `until` (a UTC ISO instant as startOfDayInstant() writes it),
 * earliest first, re-reading the timers after each step. A timer the machine refuses at its own
 * instant is a broken promise between deadlines.ts and machine.ts, so it throws.
 */
export function advanceClock(persisted: PersistedAgreement, until: string): Travelled {
  if (!ISO_INSTANT.test(until)) throw new RangeError(`Use an instant like 2026-01-01T00:00:00.000Z, not ${until}`);
  let current = persisted;
  const fired: FiredTimer[] = [];
  for (let guard = 0; guard < 1000; guard += 1) {
    const due: Deadline | undefined = timersOf(current).find((t) => t.firesAt <= until);
    if (!due || due.event === null) return { persisted: current, fired };
    const today = calendarDateOf(due.firesAt);
    const result = step(current, { type: due.event, today });
    if (!result.applied) {
      throw new Error(`Timer ${due.event} due ${due.firesAt} was refused in ${result.from} (${result.reason})`);
    }
    fired.push({ event: due.event, today, firesAt: due.firesAt, from: result.from, to: result.to });
    current = result.next;
  }
  throw new Error('advanceClock: more than 1000 timers fired; the timers never settle');
}
