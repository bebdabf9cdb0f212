import { hash } from 'node:crypto';

/** The hash before a case's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields every version hashes besides the case's name. */
interface CommonChainedFields {
  seq: number;
  occurredAt: string;
  actorPersonId: string | null;
  actorName: string;
  actorRole: string;
  actorOrganisationId: string | null;
  actorOrganisationName: string | null;
  eventType: string;
  payload: unknown;
  fromState: string;
  toState: string;
  reason: string | null;
  outcome: string;
  prevHash: string;
}

/**
 * What a row's hash covers, by its chain_version: version 1 (every row written before the kernel,
 * all agreements) named the case `agreementId`; version 2 names `caseType` and `caseId`. A row is
 * always checked in the version it was written in, so no existing chain breaks.
 */
export type ChainedFields = (CommonChainedFields & { agreementId: string }) | (CommonChainedFields & { caseType: string; caseId: string });

/** The version new rows are hashed in. */
export const CHAIN_VERSION = 2;

/** `"key":` by key, for the few names that recur in every row (bounded: payload keys are anyone's). */
const quotedKeys = new Map<string, string>();

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** The object's keys by UTF-16 code units (what `<` and the default sort compare); most come already in order. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i += 1) if (keys[i - 1] > keys[i]) return keys.sort();
  return keys;
}

/** JSON with keys sorted at every level: jsonb does not keep key order, the hash must not depend on it. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Loops rather than map/filter/join: the verifier runs this for every row of the history.
  if (Array.isArray(value)) {
    let out = '[';
    // A hole (never in JSON) is an empty place, as map() and join() made it.
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + (i in value ? canonicalJson(value[i]) : '');
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of sortedKeys(record)) {
    const v = record[key];
    if (v === undefined) continue;
    out += (first ? '' : ',') + quotedKey(key) + canonicalJson(v);
    first = false;
  }
  return `${out}}`;
}

/** One-shot SHA-256 (no Hash object per row: those are native handles the garbage collector keeps a round longer). */
export function hashOf(fields: ChainedFields): string {
  return hash('sha256', canonicalJson(fields), 'hex');
}
