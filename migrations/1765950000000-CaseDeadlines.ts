import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every case's dates as rows: the deadlines its definition derives from the snapshot, written by
 * the engine with each transition, so Bevakning, the calendar feed and the digest read a date
 * range from an index instead of recomputing every case. case_record.deadlines_version says which
 * cases are projected: existing cases start unprojected and the service projects them (see
 * src/cases/case-deadline.projector.ts), so this migration needs no machine code.
 */
export class CaseDeadlines1765950000000 implements MigrationInterface {
  name = 'CaseDeadlines1765950000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_deadline (
        case_id uuid NOT NULL REFERENCES case_record(id) ON DELETE CASCADE,
        case_type text NOT NULL,
        kind text NOT NULL,
        cycle integer NOT NULL,
        due_date date NOT NULL,
        overdue boolean NOT NULL,
        PRIMARY KEY (case_id, kind, cycle)
      )`);
    await q.query(`CREATE INDEX case_deadline_due_idx ON case_deadline (due_date, case_id)`);
    await q.query(`CREATE INDEX case_deadline_overdue_idx ON case_deadline (case_id) WHERE overdue`);
    // Null: not projected yet; 0: the snapshot could not be read by the projecting version.
    await q.query(`ALTER TABLE case_record ADD COLUMN deadlines_version integer`);
    await q.query(`CREATE INDEX case_record_unprojected_idx ON case_record (id) WHERE deadlines_version IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_record_unprojected_idx`);
    await q.query(`ALTER TABLE case_record DROP COLUMN deadlines_version`);
    await q.query(`DROP TABLE case_deadline`);
  }
}
