import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The portfolio shows this year's figures with indexation. The engine projects the agreement's
 * yearly economics (workflows/agreement/economics.ts, projectVersionedEconomics) as two arrays from
 * its first year to its end date: the total and the municipality's part, so the overview picks the
 * year's element in SQL. Existing rows are filled here with the same rule: each terms version from
 * its year, indexed from it, total × (1 + bp/10000)^n rounded half-up, exact in integers; the
 * parties' parts by largest remainder (ties to the earlier contribution) so they sum to the total.
 */
export class YearlyOverviewColumns1766000000000 implements MigrationInterface {
  name = 'YearlyOverviewColumns1766000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agreement ADD COLUMN economics_from_year integer, ADD COLUMN yearly_total_kr bigint[], ADD COLUMN yearly_committee_cost_kr bigint[]`);
    await q.query(`
      WITH versions AS (
        SELECT a.id, (tv->>'effectiveFromYear')::int AS from_year, tv->'economics' AS e
          FROM agreement a, jsonb_array_elements(COALESCE(a.context->'termsVersions', '[]'::jsonb)) tv
         WHERE jsonb_typeof(tv->'economics') = 'object'
        UNION ALL
        SELECT a.id, extract(year FROM a.start_date)::int, a.context->'terms'->'economics'
          FROM agreement a
         WHERE a.start_date IS NOT NULL AND jsonb_typeof(a.context->'terms'->'economics') = 'object'
           AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(a.context->'termsVersions', '[]'::jsonb)) tv WHERE jsonb_typeof(tv->'economics') = 'object')
      ),
      spans AS (
        SELECT v.id, min(v.from_year) AS first_year, extract(year FROM a.end_date)::int AS last_year
          FROM versions v JOIN agreement a ON a.id = v.id
         WHERE a.end_date IS NOT NULL
         GROUP BY v.id, a.end_date
        HAVING extract(year FROM a.end_date)::int >= min(v.from_year)
      ),
      years AS (
        SELECT s.id, s.first_year, y AS year, v.from_year, v.e,
               ((10000 + COALESCE((v.e->>'indexationBasisPoints')::int, 0))::numeric ^ (y - v.from_year)) AS num,
               (10000::numeric ^ (y - v.from_year)) AS den
          FROM spans s
          CROSS JOIN generate_series(s.first_year, s.last_year) y
          JOIN LATERAL (SELECT * FROM versions v WHERE v.id = s.id AND v.from_year <= y ORDER BY v.from_year DESC LIMIT 1) v ON true
      ),
      totals AS (
        SELECT yr.*, div(2 * (yr.e->>'totalKr')::numeric * yr.num + yr.den, 2 * yr.den) AS total FROM years yr
      ),
      parts AS (
        SELECT t.id, t.year, t.total, c.ord, c.c->>'organisationId' AS organisation_id,
               div((c.c->>'amountKr')::numeric * t.num, t.den) AS floor_part,
               mod((c.c->>'amountKr')::numeric * t.num, t.den) AS remainder
          FROM totals t, jsonb_array_elements(t.e->'contributions') WITH ORDINALITY c(c, ord)
      ),
      ranked AS (
        SELECT p.*, row_number() OVER (PARTITION BY p.id, p.year ORDER BY p.remainder DESC, p.ord) AS rank,
               p.total - sum(p.floor_part) OVER (PARTITION BY p.id, p.year) AS units_left
          FROM parts p
      ),
      municipal AS (
        SELECT r.id, r.year, sum(r.floor_part + CASE WHEN r.rank <= r.units_left THEN 1 ELSE 0 END) AS cost
          FROM ranked r JOIN agreement a ON a.id = r.id
         WHERE r.organisation_id IN (SELECT p->>'organisationId' FROM jsonb_array_elements(a.context->'terms'->'parties') p WHERE p->>'kind' = 'municipality')
         GROUP BY r.id, r.year
      ),
      arrays AS (
        SELECT t.id, min(t.first_year) AS first_year,
               array_agg(t.total::bigint ORDER BY t.year) AS totals,
               array_agg(COALESCE(m.cost, 0)::bigint ORDER BY t.year) AS costs
          FROM totals t LEFT JOIN municipal m ON m.id = t.id AND m.year = t.year
         GROUP BY t.id
      )
      UPDATE agreement a SET economics_from_year = x.first_year, yearly_total_kr = x.totals, yearly_committee_cost_kr = x.costs
        FROM arrays x WHERE x.id = a.id`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agreement DROP COLUMN economics_from_year, DROP COLUMN yearly_total_kr, DROP COLUMN yearly_committee_cost_kr`);
  }
}
