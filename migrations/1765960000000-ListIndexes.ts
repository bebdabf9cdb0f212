import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The agreement list's order as an index (next deadline, none last; then title and id), so a page
 * and the page after it are index range reads at any size.
 */
export class ListIndexes1765960000000 implements MigrationInterface {
  name = 'ListIndexes1765960000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX agreement_list_idx ON agreement ((COALESCE(next_deadline_at, 'infinity'::timestamptz)), title, id)`);
    await q.query(`CREATE INDEX agreement_state_list_idx ON agreement (state, (COALESCE(next_deadline_at, 'infinity'::timestamptz)), title, id)`);
    await q.query(`CREATE INDEX organisation_name_idx ON organisation (name, id)`);
    await q.query(`CREATE INDEX person_name_idx ON person (name, id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const index of ['person_name_idx', 'organisation_name_idx', 'agreement_state_list_idx', 'agreement_list_idx']) await q.query(`DROP INDEX ${index}`);
  }
}
