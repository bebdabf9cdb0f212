import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The committees' meeting calendar (sammanträdesplan), kept by the secretariat: each meeting's date
 * and the last day for its papers. Cases tie deadlines to meetings; moving one moves them (through the engine).
 */
export class CommitteeMeetings1765800000000 implements MigrationInterface {
  name = 'CommitteeMeetings1765800000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE committee_meeting (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
        committee text NOT NULL CHECK (length(committee) BETWEEN 1 AND 200),
        meeting_date date NOT NULL,
        papers_due_on date NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        updated_by_person_id uuid REFERENCES person(id),
        CONSTRAINT committee_meeting_papers_before_meeting CHECK (papers_due_on < meeting_date),
        CONSTRAINT committee_meeting_one_a_day UNIQUE (committee, meeting_date)
      )`);
    await q.query(`CREATE INDEX committee_meeting_committee_date_idx ON committee_meeting (committee, meeting_date)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE committee_meeting`);
  }
}
