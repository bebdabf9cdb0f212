import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

/** This file owns the table idempotency_key (migrations/1765300000000-IdempotencyKeys.ts). */

/** A key answers the same for this long; after that it is forgotten (and pruned). */
export const KEY_TTL_HOURS = 24;
/** How long a claim counts as "in progress"; a claim left by a request that died is taken over after this. */
export const CLAIM_LEASE_SECONDS = 15;

export interface IdempotencyScope {
  /** Whose key: the person's id (keys of different people never meet). */
  personKey: string;
  key: string;
  /** SHA-256 of method, path and body. */
  fingerprint: string;
  method: string;
  path: string;
}

export interface StoredAnswer {
  statusCode: number;
  body: string | null;
}

export type ClaimResult =
  | { kind: 'claimed'; claimToken: string }
  /** The first request finished: its answer, to send again. */
  | { kind: 'replay'; answer: StoredAnswer; resourceType: string | null; resourceId: string | null }
  /** The create committed but its answer was never stored (the request failed after the commit). */
  | { kind: 'committed'; resourceType: string; resourceId: string }
  | { kind: 'mismatch' }
  | { kind: 'in_progress'; retryAfterSeconds: number };

interface Row {
  fingerprint: string;
  claim_token: string;
  resource_type: string | null;
  resource_id: string | null;
  status_code: number | null;
  response_body: string | null;
  wait_seconds: number;
}

type Sql = Pick<DataSource | EntityManager, 'query' | 'transaction'>;

/** Claims the key for this request, or says what the earlier request with the same key left. */
export async function claimKey(sql: Sql, scope: IdempotencyScope): Promise<ClaimResult> {
  const mine = randomUUID();
  const row = await sql.transaction(async (manager) => {
    // An expired key is as good as none.
    await manager.query(`DELETE FROM idempotency_key WHERE person_key = $1 AND key = $2 AND created_at < now() - make_interval(hours => $3)`, [
      scope.personKey,
      scope.key,
      KEY_TTL_HOURS,
    ]);
    // A claim whose request died before anything committed is taken over (same body only).
    const rows = await manager.query<Row[]>(
      `INSERT INTO idempotency_key (person_key, key, fingerprint, method, path, claim_token, claimed_until)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))
       ON CONFLICT (person_key, key) DO UPDATE SET claim_token = EXCLUDED.claim_token, claimed_until = EXCLUDED.claimed_until
         WHERE idempotency_key.claimed_until < now() AND idempotency_key.resource_id IS NULL
           AND idempotency_key.status_code IS NULL AND idempotency_key.fingerprint = EXCLUDED.fingerprint
       RETURNING claim_token`,
      [scope.personKey, scope.key, scope.fingerprint, scope.method, scope.path, mine, CLAIM_LEASE_SECONDS],
    );
    if (rows.length > 0) return null;
    const [existing] = await manager.query<Row[]>(
      `SELECT fingerprint, claim_token, resource_type, resource_id, status_code, response_body,
              GREATEST(1, CEIL(EXTRACT(EPOCH FROM claimed_until - now())))::int AS wait_seconds
         FROM idempotency_key WHERE person_key = $1 AND key = $2`,
      [scope.personKey, scope.key],
    );
    return existing ?? null;
  });
  if (row === null) return { kind: 'claimed', claimToken: mine };
  if (row.fingerprint !== scope.fingerprint) return { kind: 'mismatch' };
  if (row.status_code !== null) {
    return { kind: 'replay', answer: { statusCode: row.status_code, body: row.response_body }, resourceType: row.resource_type, resourceId: row.resource_id };
  }
  if (row.resource_type !== null && row.resource_id !== null) return { kind: 'committed', resourceType: row.resource_type, resourceId: row.resource_id };
  return { kind: 'in_progress', retryAfterSeconds: row.wait_seconds };
}

/**
 * Inside the create's own transaction: this key made that resource (and, when known there, this
 * answer). False when the claim is no longer ours: the caller must then roll back.
 */
export async function bindKey(
  manager: EntityManager,
  scope: Pick<IdempotencyScope, 'personKey' | 'key'>,
  claimToken: string,
  resource: { type: string; id: string },
  answer?: StoredAnswer,
): Promise<boolean> {
  // TypeORM answers an UPDATE on PostgreSQL with [rows, affected].
  const [, affected] = await manager.query<[unknown[], number]>(
    `UPDATE idempotency_key SET resource_type = $4, resource_id = $5, status_code = $6, response_body = $7,
            completed_at = CASE WHEN $6::int IS NULL THEN NULL ELSE now() END
      WHERE person_key = $1 AND key = $2 AND claim_token = $3 AND resource_id IS NULL
      RETURNING id`,
    [scope.personKey, scope.key, claimToken, resource.type, resource.id, answer?.statusCode ?? null, answer?.body ?? null],
  );
  return affected > 0;
}

/** The answer that was sent, for the next request with the key (kept only if not already stored in the create's transaction). */
export async function completeKey(sql: Sql, scope: Pick<IdempotencyScope, 'personKey' | 'key'>, claimToken: string, answer: StoredAnswer): Promise<void> {
  await sql.query(
    `UPDATE idempotency_key SET status_code = $4, response_body = $5, completed_at = now()
      WHERE person_key = $1 AND key = $2 AND claim_token = $3 AND status_code IS NULL`,
    [scope.personKey, scope.key, claimToken, answer.statusCode, answer.body],
  );
}

/** The request failed before anything committed: the key is free again (a corrected body may use it). */
export async function releaseKey(sql: Sql, scope: Pick<IdempotencyScope, 'personKey' | 'key'>, claimToken: string): Promise<void> {
  await sql.query(`DELETE FROM idempotency_key WHERE person_key = $1 AND key = $2 AND claim_token = $3 AND resource_id IS NULL AND status_code IS NULL`, [
    scope.personKey,
    scope.key,
    claimToken,
  ]);
}

/** Deletes keys past their lifetime. Keys live in wall-clock time (the database's now(), as claimKey), not the domain clock. */
export async function pruneIdempotencyKeys(manager: Pick<EntityManager, 'query'>): Promise<number> {
  const [, count] = await manager.query<[unknown, number]>(`DELETE FROM idempotency_key WHERE created_at < now() - make_interval(hours => $1)`, [KEY_TTL_HOURS]);
  return count;
}
