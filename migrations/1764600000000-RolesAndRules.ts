import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roles and rules (issue 5):
 * - an attempt the rules table refuses is recorded in the agreement's history as outcome
 *   'forbidden', apart from 'refused' (the lifecycle said no);
 * - every change to an account (roles, password set, disabled, enabled) is kept in account_change,
 *   append-only like the audit history, so who could do what on a given day can be reconstructed.
 */
export class RolesAndRules1764600000000 implements MigrationInterface {
  name = 'RolesAndRules1764600000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_event DROP CONSTRAINT audit_event_outcome_check`);
    await q.query(`ALTER TABLE audit_event ADD CONSTRAINT audit_event_outcome_check CHECK (outcome IN ('applied', 'refused', 'forbidden', 'skipped'))`);
    await q.query(`
      CREATE TABLE account_change (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
        change text NOT NULL CHECK (change IN ('roles_set', 'password_set', 'disabled', 'enabled')),
        roles text[] NOT NULL,
        actor_person_id uuid,
        actor_name text NOT NULL
      )`);
    await q.query(`CREATE INDEX account_change_person_idx ON account_change (person_id, occurred_at)`);
    await q.query(`
      CREATE FUNCTION account_change_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'account_change är en historik som bara kan läggas till';
      END $$`);
    await q.query(`
      CREATE TRIGGER account_change_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON account_change
      FOR EACH STATEMENT EXECUTE FUNCTION account_change_is_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE account_change`);
    await q.query(`DROP FUNCTION account_change_is_append_only()`);
    // Recorded 'forbidden' rows stay (the history is append-only): NOT VALID narrows the check for new rows only.
    await q.query(`ALTER TABLE audit_event DROP CONSTRAINT audit_event_outcome_check`);
    await q.query(`ALTER TABLE audit_event ADD CONSTRAINT audit_event_outcome_check CHECK (outcome IN ('applied', 'refused', 'skipped')) NOT VALID`);
  }
}
