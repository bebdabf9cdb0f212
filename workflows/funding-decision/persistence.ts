import type { SnapshotFrom } from 'xstate';
import { migrate, stateCode, type PersistedCase } from '../kernel/kernel';
import { MACHINE_VERSION, SNAPSHOT_MIGRATIONS } from './migrations';
import type { fundingDecisionMachine } from './machine';
import { ALL_STATE_CODES, type FundingDecisionContext, type FundingDecisionStateCode } from './types';

/** What the service stores for a funding decision. */
export type PersistedFundingDecision = PersistedCase<FundingDecisionContext>;

export type FundingDecisionSnapshot = SnapshotFrom<typeof fundingDecisionMachine>;

/** The state as its code; the machine is flat, so the kernel's dotted code is the state's own name. */
export function stateCodeOf(value: PersistedFundingDecision['value']): FundingDecisionStateCode {
  const code = stateCode(value);
  if (!(ALL_STATE_CODES as readonly string[]).includes(code)) throw new Error(`Okänt tillstånd: ${code}`);
  return code as FundingDecisionStateCode;
}

/** The unsupported-version sentence the service shows. */
export const unsupportedVersionMessage = (version: number): string =>
  `Beslutet om medel sparades med maskinversion ${version}, som den här versionen inte kan läsa.`;

/**
 * The stored case lifted to the current version, for the pure schedules (deadlines, reminders),
 * which read the context and state without the machine and so without an import cycle.
 */
export function currentOf(persisted: PersistedFundingDecision): { state: FundingDecisionStateCode; context: FundingDecisionContext } {
  const lifted = migrate(persisted, SNAPSHOT_MIGRATIONS, MACHINE_VERSION, unsupportedVersionMessage);
  return { state: stateCodeOf(lifted.value), context: lifted.context };
}
