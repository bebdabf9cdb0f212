import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Organisations, people, agreements with their terms and machine state, the timer table and the append-only audit history. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE organisation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        organisation_number text NOT NULL UNIQUE CHECK (organisation_number ~ '^[0-9]{6}-[0-9]{4}$'),
        kind text NOT NULL CHECK (kind IN ('municipality', 'civil_society')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        email text NOT NULL UNIQUE,
        title text,
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX person_organisation_idx ON person (organisation_id)`);
    await q.query(`
      CREATE TABLE agreement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL,
        diarienummer text,
        committee text,
        purpose text NOT NULL DEFAULT '',
        target_group text NOT NULL DEFAULT '',
        activities text NOT NULL DEFAULT '',
        places integer CHECK (places IS NULL OR places >= 0),
        place_category text,
        proposed_by_organisation_id uuid NOT NULL REFERENCES organisation(id),
        start_date date,
        end_date date,
        extension_period_months integer,
        max_extensions integer,
        decision_notice_months integer,
        decision_window_months integer,
        extensions_used integer NOT NULL DEFAULT 0,
        total_kr bigint CHECK (total_kr IS NULL OR total_kr >= 0),
        indexation_basis_points integer NOT NULL DEFAULT 0,
        invoicing jsonb NOT NULL DEFAULT '{}'::jsonb,
        machine_version integer NOT NULL,
        state_value jsonb NOT NULL,
        context jsonb NOT NULL,
        state text NOT NULL,
        row_version integer NOT NULL DEFAULT 1,
        next_deadline_at timestamptz,
        next_deadline_kind text,
        next_deadline_date date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT agreement_end_after_start CHECK (start_date IS NULL OR end_date IS NULL OR end_date > start_date)
      )`);
    await q.query(`CREATE INDEX agreement_state_idx ON agreement (state)`);
    await q.query(`CREATE INDEX agreement_next_deadline_idx ON agreement (next_deadline_at) WHERE next_deadline_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE agreement_party (
        agreement_id uuid NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
        kind text NOT NULL CHECK (kind IN ('municipality', 'civil_society')),
        position integer NOT NULL,
        contribution_kr bigint CHECK (contribution_kr IS NULL OR contribution_kr >= 0),
        share_basis_points integer CHECK (share_basis_points IS NULL OR share_basis_points BETWEEN 0 AND 10000),
        PRIMARY KEY (agreement_id, organisation_id)
      )`);
    await q.query(`CREATE INDEX agreement_party_organisation_idx ON agreement_party (organisation_id)`);
    await q.query(`
      CREATE TABLE agreement_cost_line (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agreement_id uuid NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
        position integer NOT NULL,
        label text NOT NULL,
        amount_kr bigint NOT NULL CHECK (amount_kr >= 0),
        organisation_id uuid REFERENCES organisation(id)
      )`);
    await q.query(`CREATE INDEX agreement_cost_line_agreement_idx ON agreement_cost_line (agreement_id)`);
    await q.query(`
      CREATE TABLE agreement_member (
        agreement_id uuid NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
        role text NOT NULL CHECK (role IN ('signatory', 'samverkansgrupp')),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        PRIMARY KEY (agreement_id, person_id, role)
      )`);
    await q.query(`
      CREATE TABLE agreement_timer (
        id bigserial PRIMARY KEY,
        agreement_id uuid NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
        kind text NOT NULL,
        cycle integer NOT NULL,
        due_date date NOT NULL,
        due_at timestamptz NOT NULL,
        event_type text NOT NULL,
        scheduled_in_state text NOT NULL,
        fired_at timestamptz,
        outcome text
      )`);
    // The sweeper only ever looks at unfired timers in due order.
    await q.query(`CREATE INDEX agreement_timer_due_idx ON agreement_timer (due_at) WHERE fired_at IS NULL`);
    await q.query(`CREATE INDEX agreement_timer_agreement_idx ON agreement_timer (agreement_id)`);
    await q.query(`
      CREATE TABLE audit_event (
        id bigserial PRIMARY KEY,
        agreement_id uuid NOT NULL REFERENCES agreement(id) ON DELETE RESTRICT,
        seq integer NOT NULL,
        occurred_at timestamptz NOT NULL,
        actor_person_id uuid,
        actor_name text NOT NULL,
        actor_role text NOT NULL,
        actor_organisation_id uuid,
        actor_organisation_name text,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        from_state text NOT NULL,
        to_state text NOT NULL,
        reason text,
        outcome text NOT NULL CHECK (outcome IN ('applied', 'refused', 'skipped')),
        prev_hash text NOT NULL,
        hash text NOT NULL,
        UNIQUE (agreement_id, seq)
      )`);
    // History nobody can rewrite: the table refuses changes whoever asks, and PUBLIC loses the privileges too.
    await q.query(`
      CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event är oföränderlig: % är inte tillåtet', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only()`);
    await q.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM PUBLIC`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_event`);
    await q.query(`DROP FUNCTION audit_event_is_append_only()`);
    await q.query(`DROP TABLE agreement_timer`);
    await q.query(`DROP TABLE agreement_member`);
    await q.query(`DROP TABLE agreement_cost_line`);
    await q.query(`DROP TABLE agreement_party`);
    await q.query(`DROP TABLE agreement`);
    await q.query(`DROP TABLE person`);
    await q.query(`DROP TABLE organisation`);
  }
}
