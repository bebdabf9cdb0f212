import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in (issue 5): local accounts with an Argon2id hash, sessions in PostgreSQL (so every
 * instance sees a logout), login attempts for rate limiting, and API tokens for integrations.
 * Session ids and tokens are stored only as SHA-256 hex of the secret the client holds.
 */
export class Accounts1764500000000 implements MigrationInterface {
  name = 'Accounts1764500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account (
        person_id uuid PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
        password_hash text NOT NULL,
        roles text[] NOT NULL DEFAULT '{}'
          CHECK (roles <@ ARRAY['administrator', 'secretariat', 'signatory', 'member', 'auditor']::text[]),
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE session (
        id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
        person_id uuid NOT NULL REFERENCES account(person_id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX session_person_active_idx ON session (person_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE login_attempt (
        id bigserial PRIMARY KEY,
        key text NOT NULL CHECK (key ~ '^(account|address):'),
        attempted_at timestamptz NOT NULL,
        succeeded boolean NOT NULL
      )`);
    await q.query(`CREATE INDEX login_attempt_key_time_idx ON login_attempt (key, attempted_at)`);
    await q.query(`
      CREATE TABLE api_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES account(person_id) ON DELETE CASCADE,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_token_person_idx ON api_token (person_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_token`);
    await q.query(`DROP TABLE login_attempt`);
    await q.query(`DROP TABLE session`);
    await q.query(`DROP TABLE account`);
  }
}
