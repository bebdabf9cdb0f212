import { initialTransition, transition, type SnapshotFrom, type StateValue } from 'xstate';
import { agreementMachine } from './machine';
import type { AgreementContext, AgreementEvent, AgreementEventType, AgreementInput } from './types';

/**
 * Bump when the machine's states or context change shape, and add a migration
 * from the previous version below. Golden snapshots in __fixtures__ keep the
 * old shapes loadable.
 */
export const MACHINE_VERSION = 2;

export type AgreementSnapshot = SnapshotFrom<typeof agreementMachine>;

/** What the service stores: plain JSON, no functions, no machine internals. */
export interface PersistedAgreement {
  machineVersion: number;
  value: StateValue;
  context: AgreementContext;
}

/** A migration lifts a persisted agreement from version n to n + 1. */
export type SnapshotMigration = (persisted: PersistedAgreement) => PersistedAgreement;

/** The states in which every party has signed: the signed terms are version 1 of the terms. */
const SIGNED_ROOTS = ['inForce', 'expired', 'terminated'];

/**
 * Version 1 → 2: follow-up duties and amendments. Older agreements have recorded no follow-up and
 * proposed no amendment; one that every party signed gets its signed terms as terms version 1.
 */
export function fromVersion1(persisted: PersistedAgreement): PersistedAgreement {
  const old = persisted.context;
  const root = typeof persisted.value === 'string' ? persisted.value : Object.keys(persisted.value)[0];
  const start = old.terms.validity.startDate;
  const signed = SIGNED_ROOTS.includes(root) && start !== null;
  return {
    ...persisted,
    machineVersion: 2,
    context: {
      ...old,
      followUps: [],
      overdueFollowUps: [],
      amendment: null,
      termsVersions: signed
        ? [{ version: 1, effectiveFromYear: Number(start.slice(0, 4)), economics: old.terms.economics, reason: null, proposedOn: null, agreedBy: old.signatures }]
        : [],
    },
  };
}

/** Keyed by the version they migrate *from*. */
export const SNAPSHOT_MIGRATIONS: Record<number, SnapshotMigration> = { 1: fromVersion1 };

export class UnsupportedMachineVersionError extends Error {
  constructor(readonly machineVersion: number) {
    super(`Överenskommelsen sparades med maskinversion ${machineVersion}, som den här versionen inte kan läsa.`);
  }
}

export function migratePersisted(
  persisted: PersistedAgreement,
  migrations: Record<number, SnapshotMigration> = SNAPSHOT_MIGRATIONS,
  targetVersion: number = MACHINE_VERSION,
): PersistedAgreement {
  let current = persisted;
  while (current.machineVersion < targetVersion) {
    const migrate = migrations[current.machineVersion];
    if (!migrate) throw new UnsupportedMachineVersionError(current.machineVersion);
    current = migrate(current);
  }
  if (current.machineVersion !== targetVersion) throw new UnsupportedMachineVersionError(current.machineVersion);
  return current;
}

export function persist(snapshot: AgreementSnapshot): PersistedAgreement {
  return { machineVersion: MACHINE_VERSION, value: snapshot.value, context: snapshot.context };
}

export function restore(persisted: PersistedAgreement): AgreementSnapshot {
  const current = migratePersisted(persisted);
  // JSON round-trip: the snapshot must never share objects with the caller's row.
  const context = JSON.parse(JSON.stringify(current.context)) as AgreementContext;
  return agreementMachine.resolveState({ value: current.value, context });
}

/** A new agreement, as an initiative from a civil-society organisation. */
export function startAgreement(input: AgreementInput): PersistedAgreement {
  const [snapshot] = initialTransition(agreementMachine, input);
  return persist(snapshot);
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

function flatten(value: StateValue): string[] {
  if (typeof value === 'string') return [value];
  return Object.entries(value).flatMap(([key, child]) => (child ? flatten(child).map((rest) => `${key}.${rest}`) : [key]));
}

export function stateCodeOf(value: StateValue): AgreementStateCode {
  const [path] = flatten(value);
  const code = path.startsWith('inForce.') ? path.slice('inForce.'.length) : path;
  if (!(ALL_STATE_CODES as readonly string[]).includes(code)) throw new Error(`Okänt tillstånd: ${path}`);
  return code as AgreementStateCode;
}

/** Event types that have a transition out of the current state (guards aside). */
export function eventTypesFrom(snapshot: AgreementSnapshot): AgreementEventType[] {
  const types = new Set<string>();
  for (const node of snapshot._nodes) for (const type of node.ownEvents) types.add(type);
  return [...types].filter((t) => !t.startsWith('xstate.')).sort() as AgreementEventType[];
}

export type StepResult =
  | { applied: true; from: AgreementStateCode; to: AgreementStateCode; next: PersistedAgreement }
  | { applied: false; from: AgreementStateCode; reason: 'not_in_state' | 'guard_refused'; allowed: AgreementEventType[] };

/**
 * One lifecycle step as a pure function: restore, check, transition, persist.
 * A refused event leaves the agreement as it was and says which events the state takes.
 */
export function step(persisted: PersistedAgreement, event: AgreementEvent): StepResult {
  const snapshot = restore(persisted);
  const from = stateCodeOf(snapshot.value);
  const allowed = eventTypesFrom(snapshot);
  if (!allowed.includes(event.type)) return { applied: false, from, reason: 'not_in_state', allowed };
  if (!snapshot.can(event)) return { applied: false, from, reason: 'guard_refused', allowed };
  const [next] = transition(agreementMachine, snapshot, event);
  return { applied: true, from, to: stateCodeOf(next.value), next: persist(next) };
}
