import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The committee's overview reads only the agreement's row: its civil-society partners' names and
 * the municipality's yearly cost become columns the engine projects from the snapshot (like the
 * total), so the overview is one paged, sorted query. Existing rows are filled from their context.
 */
export class OverviewColumns1765970000000 implements MigrationInterface {
  name = 'OverviewColumns1765970000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agreement ADD COLUMN partner_names text[] NOT NULL DEFAULT '{}', ADD COLUMN committee_cost_kr bigint`);
    await q.query(`
      UPDATE agreement a SET
        partner_names = COALESCE((SELECT array_agg(p->>'name' ORDER BY ord) FROM jsonb_array_elements(a.context->'terms'->'parties') WITH ORDINALITY AS x(p, ord)
                                   WHERE p->>'kind' = 'civil_society'), '{}'),
        committee_cost_kr = CASE WHEN a.context->'terms'->'economics' IS NULL OR jsonb_typeof(a.context->'terms'->'economics') = 'null' THEN NULL ELSE
          (SELECT COALESCE(sum((c->>'amountKr')::bigint), 0) FROM jsonb_array_elements(a.context->'terms'->'economics'->'contributions') c
            WHERE c->>'organisationId' IN (SELECT p->>'organisationId' FROM jsonb_array_elements(a.context->'terms'->'parties') p WHERE p->>'kind' = 'municipality')) END`);
    await q.query(`CREATE INDEX agreement_title_idx ON agreement (title, id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX agreement_title_idx`);
    await q.query(`ALTER TABLE agreement DROP COLUMN partner_names, DROP COLUMN committee_cost_kr`);
  }
}
