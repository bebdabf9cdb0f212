import type { Migrations } from '../kernel/kernel';
import type { FundingDecisionContext } from './types';

/**
 * Bump when the machine's states or context change shape, and add a migration from the previous
 * version below; the golden snapshots in __fixtures__/golden keep the old shapes loadable.
 */
export const MACHINE_VERSION = 1;

/** Keyed by the version they migrate *from*; version 1 is the first, so none yet. */
export const SNAPSHOT_MIGRATIONS: Migrations<FundingDecisionContext> = {};
