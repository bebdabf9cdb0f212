import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Work that keeps failing becomes an incident: one open row per (source, row). Timers and
 * reminders get the same retry columns the outbox already has, so a failing row is set aside
 * with a backoff instead of blocking the rows behind it.
 */
export class Incidents1765000000000 implements MigrationInterface {
  name = 'Incidents1765000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incident (
        id bigserial PRIMARY KEY,
        source text NOT NULL CHECK (source IN ('timer', 'reminder', 'outbox')),
        row_id bigint NOT NULL,
        agreement_id uuid REFERENCES agreement(id) ON DELETE RESTRICT,
        summary text NOT NULL,
        error text NOT NULL,
        attempts integer NOT NULL,
        possibly_delivered boolean NOT NULL DEFAULT false,
        opened_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        reported_at timestamptz,
        resolved_at timestamptz,
        resolved_by_person_id uuid REFERENCES person(id),
        resolution text CHECK (resolution IN ('retried', 'dismissed'))
      )`);
    await q.query(`CREATE UNIQUE INDEX incident_open_idx ON incident (source, row_id) WHERE resolved_at IS NULL`);
    await q.query(`CREATE INDEX incident_opened_idx ON incident (opened_at DESC, id DESC)`);
    for (const table of ['agreement_timer', 'agreement_reminder']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN attempts integer NOT NULL DEFAULT 0, ADD COLUMN last_error text, ADD COLUMN next_attempt_at timestamptz`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of ['agreement_timer', 'agreement_reminder']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN attempts, DROP COLUMN last_error, DROP COLUMN next_attempt_at`);
    }
    await q.query(`DROP TABLE incident`);
  }
}
