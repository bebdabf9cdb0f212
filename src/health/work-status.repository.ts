import type { EntityManager } from 'typeorm';
import { openIncidentCount } from '@app/incidents/incident.repository';

export interface WorkStatus {
  /** When any instance last completed a timer sweep; null if none ever has. */
  lastTimerSweepAt: Date | null;
  /** The earliest instant a due, unfired timer has been waiting since; null if none waits. */
  oldestDueTimerSince: Date | null;
  /** The earliest next_attempt_at of an unsent outbox message now due; null if none. */
  oldestDueOutboxSince: Date | null;
  openIncidents: number;
}


/**
 * The figures behind /health/ready and /metrics, each on an index: sweep_heartbeat's primary key,
 * case_timer_due_idx (unfired timers by due_at), outbox_message_due_idx (from OutboxLeases: unsent messages by
 * next_attempt_at). A timer set aside after a failure (next_attempt_at ahead) is an incident, not a
 * stuck sweeper: it is left out until its retry is due, and then counts from that retry.
 */
export async function readWorkStatus(manager: Pick<EntityManager, 'query'>, now: Date): Promise<WorkStatus> {
  const [row] = await manager.query<Array<{ last_sweep: Date | null; oldest_timer: Date | null; oldest_outbox: Date | null }>>(
    `SELECT (SELECT completed_at FROM sweep_heartbeat WHERE name = 'timers') AS last_sweep,
            (SELECT min(greatest(due_at, coalesce(next_attempt_at, due_at))) FROM case_timer
              WHERE fired_at IS NULL AND due_at <= $1 AND (next_attempt_at IS NULL OR next_attempt_at <= $1)) AS oldest_timer,
            (SELECT min(next_attempt_at) FROM outbox_message
              WHERE state IN ('pending', 'sending') AND next_attempt_at <= $1) AS oldest_outbox`,
    [now],
  );
  const date = (value: Date | null): Date | null => (value === null ? null : new Date(value));
  return {
    lastTimerSweepAt: date(row.last_sweep),
    oldestDueTimerSince: date(row.oldest_timer),
    oldestDueOutboxSince: date(row.oldest_outbox),
    openIncidents: await openIncidentCount(manager),
  };
}
