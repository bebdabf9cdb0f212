import { hostname } from 'node:os';
import type { EntityManager } from 'typeorm';

export type SweepName = 'timers' | 'reminders';

/** Which process completed a round: host and pid are enough to find it in the logs. */
export const INSTANCE = `${hostname()}:${process.pid}`;

/** The one file that writes sweep_heartbeat: the end of a loop's last completed round. */
export async function recordSweep(manager: Pick<EntityManager, 'query'>, name: SweepName, completedAt: Date): Promise<void> {
  await manager.query(
    `INSERT INTO sweep_heartbeat (name, completed_at, instance) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET completed_at = EXCLUDED.completed_at, instance = EXCLUDED.instance`,
    [name, completedAt, INSTANCE],
  );
}

/** When each loop last completed a round (any instance); null before the first. */
export async function lastSweeps(manager: Pick<EntityManager, 'query'>): Promise<{ timers: Date | null; reminders: Date | null }> {
  const rows = await manager.query<Array<{ name: SweepName; completed_at: Date }>>(`SELECT name, completed_at FROM sweep_heartbeat`);
  const at = (name: SweepName): Date | null => {
    const row = rows.find((r) => r.name === name);
    return row ? new Date(row.completed_at) : null;
  };
  return { timers: at('timers'), reminders: at('reminders') };
}
