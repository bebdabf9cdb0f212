import type { AgreementEvent } from '@workflows/agreement/types';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as a person or the clock sends it; the engine adds `today` from its clock. */
export type EngineCommand = DistributiveOmit<AgreementEvent, 'today'>;
