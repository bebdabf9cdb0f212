/** An event as a person or the clock sends it to a case of any kind; the engine adds `today` from its clock. */
export type EngineCommand = { type: string } & Record<string, unknown>;
