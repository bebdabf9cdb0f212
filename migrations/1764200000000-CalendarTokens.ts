import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secret links to a person's calendar feed (GET /calendar.ics?token=…). Only the
 * SHA-256 of a token is stored: a leaked table does not open any feed.
 */
export class CalendarTokens1764200000000 implements MigrationInterface {
  name = 'CalendarTokens1764200000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_token (
        id bigserial PRIMARY KEY,
        token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX calendar_token_person_active_idx ON calendar_token (person_id) WHERE revoked_at IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_token`);
  }
}
