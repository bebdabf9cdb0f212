/** Jest helpers shared by the agreement specs: every step is checked not to touch what it was given. */
import { transition } from 'xstate';
import { agreementMachine } from '../machine';
import { persist, restore, step, type AgreementStateCode, type PersistedAgreement } from '../persistence';
import type { AgreementEvent } from '../types';

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const copyOf = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Sends an event that must be taken; returns the next persisted agreement. */
export function accepted(before: PersistedAgreement, event: AgreementEvent, expectedState?: AgreementStateCode): PersistedAgreement {
  const original = copyOf(before);
  const result = step(deepFreeze(before), event);
  if (!result.applied) {
    throw new Error(`${event.type} on ${event.today} was refused in ${result.from} (${result.reason}); allowed: ${result.allowed.join(', ')}`);
  }
  expect(before).toEqual(original);
  if (expectedState) expect(result.to).toBe(expectedState);
  return result.next;
}

/**
 * Sends an event that must be refused: step() says so and why, the agreement it was given is untouched,
 * and the machine itself, asked directly, would leave state and context exactly as they were.
 */
export function refused(before: PersistedAgreement, event: AgreementEvent, reason: 'not_in_state' | 'guard_refused'): void {
  const original = copyOf(before);
  const result = step(deepFreeze(before), event);
  expect(result).toMatchObject({ applied: false, reason });
  expect(before).toEqual(original);
  const [after] = transition(agreementMachine, restore(before), event);
  expect(copyOf(persist(after))).toEqual(original);
}
