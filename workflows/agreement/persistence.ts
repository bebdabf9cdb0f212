import type { SnapshotFrom, StateValue } from 'xstate';
import * as kernel from '../kernel/kernel';
import { agreementDefinition } from './definition';
import type { agreementMachine } from './machine';
import { MACHINE_VERSION, SNAPSHOT_MIGRATIONS, type SnapshotMigration } from './migrations';
import type { AgreementContext, AgreementEvent, AgreementEventType, AgreementInput } from './types';

/*
 * The agreement's persistence: the case kernel (workflows/kernel) with the agreement's definition.
 * The names and signatures are the ones the service has always used.
 */

export { MACHINE_VERSION, SNAPSHOT_MIGRATIONS, fromVersion1, type SnapshotMigration } from './migrations';
export { UnsupportedMachineVersionError } from '../kernel/kernel';

export type AgreementSnapshot = SnapshotFrom<typeof agreementMachine>;

/** What the service stores: plain JSON, no functions, no machine internals. */
export interface PersistedAgreement {
  machineVersion: number;
  value: StateValue;
  context: AgreementContext;
}

export function migratePersisted(
  persisted: PersistedAgreement,
  migrations: Record<number, SnapshotMigration> = SNAPSHOT_MIGRATIONS,
  targetVersion: number = MACHINE_VERSION,
): PersistedAgreement {
  return kernel.migratePersisted({ ...agreementDefinition, migrations, machineVersion: targetVersion }, persisted);
}

export function persist(snapshot: AgreementSnapshot): PersistedAgreement {
  return kernel.persist(agreementDefinition, snapshot);
}

export function restore(persisted: PersistedAgreement): AgreementSnapshot {
  return kernel.restore(agreementDefinition, persisted);
}

/** A new agreement, as an initiative from a civil-society organisation. */
export function startAgreement(input: AgreementInput): PersistedAgreement {
  return kernel.start(agreementDefinition, input);
}

/**
 * The state as one queryable string: 'draft', 'active', 'extensionDecision.overdue',
 * 'terminated.awaitingSettlement'. The inForce wrapper is left out; it is structure, not a state a user names.
 */
export type AgreementStateCode =
  | 'initiative'
  | 'declined'
  | 'draft'
  | 'signing'
  | 'signed'
  | 'active'
  | 'extensionDecision.pending'
  | 'extensionDecision.overdue'
  | 'extensionRefused'
  | 'renewed'
  | 'expired'
  | 'terminated.awaitingSettlement'
  | 'terminated.settled';

/** The states in which the agreement is in force (signed, not ended): its follow-up duties and amendments run here. */
export const IN_FORCE_STATE_CODES: readonly AgreementStateCode[] = [
  'signed',
  'active',
  'extensionDecision.pending',
  'extensionDecision.overdue',
  'extensionRefused',
  'renewed',
];

export const ALL_STATE_CODES: readonly AgreementStateCode[] = [
  'initiative',
  'declined',
  'draft',
  'signing',
  ...IN_FORCE_STATE_CODES,
  'expired',
  'terminated.awaitingSettlement',
  'terminated.settled',
];

/** States no event leaves (terminated only moves on to record its settlement). */
export const FINAL_STATE_CODES: readonly AgreementStateCode[] = ['declined', 'expired', 'terminated.settled'];

export function stateCodeOf(value: StateValue): AgreementStateCode {
  const path = kernel.stateCode(value);
  const code = path.startsWith('inForce.') ? path.slice('inForce.'.length) : path;
  if (!(ALL_STATE_CODES as readonly string[]).includes(code)) throw new Error(`Okänt tillstånd: ${path}`);
  return code as AgreementStateCode;
}

/** Event types that have a transition out of the current state (guards aside). */
export function eventTypesFrom(snapshot: AgreementSnapshot): AgreementEventType[] {
  return kernel.allowedEventsOf(agreementDefinition, snapshot);
}

export type StepResult =
  | { applied: true; from: AgreementStateCode; to: AgreementStateCode; next: PersistedAgreement }
  | { applied: false; from: AgreementStateCode; reason: 'not_in_state' | 'guard_refused'; allowed: AgreementEventType[] };

/**
 * One lifecycle step as a pure function (the kernel's step): restore once, transition (guards evaluated once), persist.
 * A refused event leaves the agreement as it was and says which events the state takes.
 */
export function step(persisted: PersistedAgreement, event: AgreementEvent): StepResult {
  const result = kernel.step(agreementDefinition, persisted, event);
  const from = stateCodeOf(result.previous.value);
  if (!result.applied) return { applied: false, from, reason: result.reason, allowed: result.allowed };
  return { applied: true, from, to: stateCodeOf(result.snapshot.value), next: result.next };
}
