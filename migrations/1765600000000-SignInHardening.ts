import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in hardening (issue 12):
 * - login_throttle replaces login_attempt: one counter row per (account, address) and per address,
 *   reserved with a single upsert before the password is checked, so concurrent attempts are counted
 *   before any is tried; a lock is per source and time-bounded (doubling each time it is earned).
 * - api_token.expires_at: tokens no longer live for ever (existing ones get 90 days from now).
 * - security_event: refused attempts on agreements the person cannot see, kept out of the
 *   agreement's own chain; append-only like the other histories.
 */
export class SignInHardening1765600000000 implements MigrationInterface {
  name = 'SignInHardening1765600000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_attempt`);
    await q.query(`
      CREATE TABLE login_throttle (
        key text PRIMARY KEY CHECK (key ~ '^(pair|address):'),
        failures integer NOT NULL CHECK (failures >= 0),
        window_started_at timestamptz NOT NULL,
        lock_level integer NOT NULL DEFAULT 0 CHECK (lock_level >= 0),
        locked_until timestamptz,
        last_attempt_at timestamptz NOT NULL
      )`);
    await q.query(`ALTER TABLE api_token ADD COLUMN expires_at timestamptz`);
    await q.query(`UPDATE api_token SET expires_at = greatest(created_at, now()) + interval '90 days'`);
    await q.query(`ALTER TABLE api_token ALTER COLUMN expires_at SET NOT NULL`);
    await q.query(`
      CREATE TABLE security_event (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        kind text NOT NULL CHECK (kind IN ('unseen_agreement_attempt')),
        person_id uuid,
        actor_name text NOT NULL,
        agreement_id uuid,
        event_type text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX security_event_person_time_idx ON security_event (person_id, occurred_at)`);
    await q.query(`
      CREATE FUNCTION security_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'security_event är en logg som bara kan läggas till';
      END $$`);
    await q.query(`
      CREATE TRIGGER security_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON security_event
      FOR EACH STATEMENT EXECUTE FUNCTION security_event_is_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE security_event`);
    await q.query(`DROP FUNCTION security_event_is_append_only()`);
    await q.query(`ALTER TABLE api_token DROP COLUMN expires_at`);
    await q.query(`DROP TABLE login_throttle`);
    await q.query(`
      CREATE TABLE login_attempt (
        id bigserial PRIMARY KEY,
        key text NOT NULL CHECK (key ~ '^(account|address):'),
        attempted_at timestamptz NOT NULL,
        succeeded boolean NOT NULL
      )`);
    await q.query(`CREATE INDEX login_attempt_key_time_idx ON login_attempt (key, attempted_at)`);
  }
}
