import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each sweep loop (timers, reminders) stamps the end of its last completed round, so /health can
 * tell a stopped loop from an idle one. The claim indexes stay (due_at, id) / (send_at, id): rows in
 * backoff are few and are passed over with a heap check, while a key column for next_attempt_at
 * would break the claim order the index serves. Incidents get an index for the open list.
 */
export class SweepRetryIndexes1765200000000 implements MigrationInterface {
  name = 'SweepRetryIndexes1765200000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sweep_heartbeat (
        name text PRIMARY KEY CHECK (name IN ('timers', 'reminders')),
        completed_at timestamptz NOT NULL,
        instance text NOT NULL
      )`);
    await q.query(`CREATE INDEX incident_unresolved_idx ON incident (opened_at DESC, id DESC) WHERE resolved_at IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX incident_unresolved_idx`);
    await q.query(`DROP TABLE sweep_heartbeat`);
  }
}
