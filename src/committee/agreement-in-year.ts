import { addMonths, type CalendarDate } from '@workflows/calendar/calendar';
import type { ExtensionTerms } from '@workflows/agreement/types';

/** States in which an agreement binds its parties: signed, running, deciding on or granted an extension. */
const IN_FORCE: readonly string[] = ['signed', 'active', 'extensionDecision.pending', 'extensionDecision.overdue', 'extensionRefused', 'renewed'];

/** One applied step of an agreement's history, dated in Stockholm. */
export interface HistoryStep {
  on: CalendarDate;
  fromState: string;
  toState: string;
}

export interface AgreementInYear {
  /** In force on at least one day of the year (signed during the year counts: the committee reports it). */
  inForce: boolean;
  /** The end date as it stood on 31 December: renewals and a termination up to then, nothing later. */
  validUntil: CalendarDate | null;
  /** Extensions still possible on 31 December. */
  extensionsLeft: number;
  /** Terminated (hävd) on or before 31 December. */
  terminatedOn: CalendarDate | null;
}

/**
 * How an agreement stood in year Y, read from its history rather than from today's row: the
 * committee's yearly report must show what the committee saw then (seed 002 gives 2023-12-31 for
 * agreements that have since expired, and none of the renewals decided after 2021).
 * `steps` are the applied history in order; the end date is the original one moved by one
 * extension period for each renewal up to the year's end, as the machine's `extend` does.
 */
export function agreementInYear(year: number, steps: readonly HistoryStep[], originalEnd: CalendarDate | null, extension: ExtensionTerms | null): AgreementInYear {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  const upToEnd = steps.filter((s) => s.on <= last);
  // The state at the end of a day is what its last step left; it only changes on days with steps.
  const stateAtEndOf = (day: CalendarDate): string | undefined => upToEnd.filter((s) => s.on <= day).at(-1)?.toState;
  const days = [first, ...new Set(upToEnd.filter((s) => s.on > first).map((s) => s.on))];
  const inForce = days.some((day) => IN_FORCE.includes(stateAtEndOf(day) ?? ''));
  const renewals = upToEnd.filter((s) => s.toState === 'renewed' && s.fromState !== 'renewed').length;
  const terminated = upToEnd.find((s) => s.toState.startsWith('terminated') && !s.fromState.startsWith('terminated')) ?? null;
  let validUntil = originalEnd;
  for (let i = 0; i < renewals && validUntil !== null && extension !== null; i += 1) validUntil = addMonths(validUntil, extension.periodMonths);
  return {
    inForce,
    validUntil: terminated ? terminated.on : validUntil,
    extensionsLeft: extension ? Math.max(0, extension.maxExtensions - renewals) : 0,
    terminatedOn: terminated?.on ?? null,
  };
}

