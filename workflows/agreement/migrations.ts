import type { PersistedAgreement } from './persistence';

/*
 * The agreement's stored versions and the migrations between them. Apart from persistence.ts so the
 * agreement's case definition can name them without an import cycle; persistence.ts re-exports them.
 */

/**
 * Bump when the machine's states or context change shape, and add a migration
 * from the previous version below. Golden snapshots in __fixtures__ keep the
 * old shapes loadable.
 */
export const MACHINE_VERSION = 2;

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
