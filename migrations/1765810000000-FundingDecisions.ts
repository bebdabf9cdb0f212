import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The second kind of case: funding decisions (beslut om medel, seed 004). The standard case columns
 * (the snapshot is the one truth) and the few copies of it that its lists filter and sort on.
 */
export class FundingDecisions1765810000000 implements MigrationInterface {
  name = 'FundingDecisions1765810000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE funding_decision (
        id uuid PRIMARY KEY REFERENCES case_record (id) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED,
        machine_version integer NOT NULL,
        state_value jsonb NOT NULL,
        context jsonb NOT NULL,
        state text NOT NULL,
        row_version integer NOT NULL,
        reminder_policy jsonb,
        committee text NOT NULL,
        amount_kr bigint NOT NULL CHECK (amount_kr > 0),
        period_start date NOT NULL,
        period_end date NOT NULL,
        next_deadline_date date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX funding_decision_state_idx ON funding_decision (state, next_deadline_date)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE funding_decision`);
  }
}
