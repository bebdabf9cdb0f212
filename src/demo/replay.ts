import { calendarDateOf, isAfter, isBefore, type CalendarDate } from '../../workflows/calendar/calendar';
import { timersOf } from '../../workflows/agreement/deadlines';
import { step, type PersistedAgreement } from '../../workflows/agreement/persistence';
import type { AgreementEvent, TimerEventType } from '../../workflows/agreement/types';

/**
 * Replays a demo agreement's history through the pure lifecycle, the way the
 * service would have lived it: the clock moves to each step's date and every
 * timer due on or before that date fires first, in due order.
 */

type WithoutToday<E> = E extends AgreementEvent ? Omit<E, 'today'> : never;

/** An event a person sends; the replayer adds `today`, and timer events are never in a story. */
export type StoryEvent = WithoutToday<Exclude<AgreementEvent, { type: TimerEventType }>>;

export interface StoryStep {
  on: CalendarDate;
  event: StoryEvent;
  /** The person key of whoever acted. */
  by: string;
}

export interface ReplayedEvent {
  event: AgreementEvent;
  today: CalendarDate;
  /** The person key for a story step, null for a timer. */
  by: string | null;
  source: 'story' | 'timer';
}

export interface RefusedStep {
  event: AgreementEvent;
  today: CalendarDate;
  by: string;
  reason: 'not_in_state' | 'guard_refused';
}

export interface ReplayResult {
  persisted: PersistedAgreement;
  /** Every event that changed the agreement, story steps and timers interleaved, in order. */
  applied: ReplayedEvent[];
  /** Story steps the lifecycle refused; a good story has none. */
  refused: RefusedStep[];
}

/** More timers than any agreement can have; stops a runaway loop. */
const MAX_TIMERS = 1000;

/**
 * Applies `story` to `start` and fires due timers up to and including `until`.
 * Steps dated after `until` are not applied. Throws if the story is out of
 * date order or a timer is refused (deadlines.ts and the machine disagree).
 */
export function replayStory(start: PersistedAgreement, story: readonly StoryStep[], until: CalendarDate): ReplayResult {
  let persisted = start;
  const applied: ReplayedEvent[] = [];
  const refused: RefusedStep[] = [];
  let timersFired = 0;

  const fireTimersThrough = (limit: CalendarDate): void => {
    for (;;) {
      const next = timersOf(persisted)[0];
      if (!next?.event) return;
      const today = calendarDateOf(next.firesAt);
      if (isAfter(today, limit)) return;
      const event = { type: next.event, today } as AgreementEvent;
      const result = step(persisted, event);
      if (!result.applied) throw new Error(`Timern ${next.event} den ${today} avvisades i tillståndet ${result.from}.`);
      persisted = result.next;
      applied.push({ event, today, by: null, source: 'timer' });
      timersFired += 1;
      if (timersFired > MAX_TIMERS) throw new Error('För många timrar: avbryter uppspelningen.');
    }
  };

  let previous: CalendarDate | null = null;
  for (const s of story) {
    if (previous !== null && isBefore(s.on, previous)) throw new RangeError(`Händelserna är inte i datumordning: ${s.on} efter ${previous}.`);
    previous = s.on;
    if (isAfter(s.on, until)) break;
    fireTimersThrough(s.on);
    const event = { ...s.event, today: s.on } as AgreementEvent;
    const result = step(persisted, event);
    if (result.applied) {
      persisted = result.next;
      applied.push({ event, today: s.on, by: s.by, source: 'story' });
    } else {
      refused.push({ event, today: s.on, by: s.by, reason: result.reason });
    }
  }
  fireTimersThrough(until);
  return { persisted, applied, refused };
}
