import type { EntityManager } from 'typeorm';
import type { IncidentSource } from './incident.repository';
import { nextAttemptAt } from './retry-policy';

/**
 * The retry columns of the rows incidents are about. Only these columns are written here: the
 * rest of each table belongs to its own module.
 */
const TABLES: Record<Exclude<IncidentSource, 'outbox'>, string> = { timer: 'case_timer', reminder: 'case_reminder' };

/** One more failed attempt on a timer or reminder row, with its backoff; returns the attempts so far. */
export async function markRowFailed(manager: Pick<EntityManager, 'query'>, source: 'timer' | 'reminder', rowId: string, error: string, now: Date): Promise<number> {
  const [row] = await manager.query<Array<{ attempts: number }>>(`SELECT attempts FROM ${TABLES[source]} WHERE id = $1`, [rowId]);
  const attempts = (row?.attempts ?? 0) + 1;
  await manager.query(`UPDATE ${TABLES[source]} SET attempts = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1`, [rowId, attempts, error, nextAttemptAt(attempts, now)]);
  return attempts;
}

/**
 * Puts a row back in line for the next sweep. The outbox row goes back to 'pending', due now; only
 * state, attempts, next_attempt_at and last_error are touched (the sender owns any other column).
 * Returns false when the row no longer exists.
 */
export async function resetRow(manager: Pick<EntityManager, 'query'>, source: IncidentSource, rowId: string, now: Date): Promise<boolean> {
  const rows =
    source === 'outbox'
      ? await manager.query<unknown[]>(
          `UPDATE outbox_message SET state = 'pending', attempts = 0, next_attempt_at = $2, last_error = NULL WHERE id = $1 AND state NOT IN ('sent', 'sending') RETURNING id`,
          [rowId, now],
        )
      : await manager.query<unknown[]>(`UPDATE ${TABLES[source]} SET attempts = 0, next_attempt_at = NULL, last_error = NULL WHERE id = $1 RETURNING id`, [rowId]);
  // node-postgres through TypeORM answers an UPDATE … RETURNING with [rows, count].
  const returned = Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows;
  return returned.length > 0;
}

/**
 * A dismissed timer or reminder is not tried again (else its next failure would open a new
 * incident at once); it stays unfired, so the digest still shows an overdue timer. The outbox
 * row is left as the sender left it.
 */
export async function parkRow(manager: Pick<EntityManager, 'query'>, source: IncidentSource, rowId: string): Promise<void> {
  if (source === 'outbox') return;
  await manager.query(`UPDATE ${TABLES[source]} SET next_attempt_at = 'infinity' WHERE id = $1`, [rowId]);
}
