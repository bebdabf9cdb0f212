import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14: the head of each case's audit chain (its length and last hash) moves from its own
 * table onto case_record, the row every transition already locks. The engine reads it with that
 * lock and moves it in the statement that appends the row, so an append no longer looks the head
 * up in audit_event, and two writers cannot both see the same head.
 */
export class ChainHeadOnCase1765975000000 implements MigrationInterface {
  name = 'ChainHeadOnCase1765975000000';

  public async up(q: QueryRunner): Promise<void> {
    const [orphans] = (await q.query(`SELECT count(*)::int AS n FROM audit_chain_head h WHERE NOT EXISTS (SELECT 1 FROM case_record c WHERE c.id = h.case_id)`)) as Array<{ n: number }>;
    if (orphans.n > 0) throw new Error(`${orphans.n} kedjehuvuden saknar ärende i case_record: utred dem innan migreringen körs`);
    await q.query(`
      ALTER TABLE case_record
        ADD COLUMN audit_event_count integer NOT NULL DEFAULT 0 CHECK (audit_event_count >= 0),
        ADD COLUMN audit_last_hash text,
        ADD COLUMN audit_updated_at timestamptz`);
    await q.query(`
      UPDATE case_record c SET audit_event_count = h.event_count, audit_last_hash = h.last_hash, audit_updated_at = h.updated_at
        FROM audit_chain_head h WHERE h.case_id = c.id`);
    await q.query(`DROP TABLE audit_chain_head`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_chain_head (
        case_id uuid PRIMARY KEY,
        case_type text NOT NULL,
        event_count integer NOT NULL CHECK (event_count > 0),
        last_hash text NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT audit_chain_head_case_fkey FOREIGN KEY (case_type, case_id) REFERENCES case_record (case_type, id) ON DELETE RESTRICT
      )`);
    await q.query(`
      INSERT INTO audit_chain_head (case_id, case_type, event_count, last_hash, updated_at)
      SELECT id, case_type, audit_event_count, audit_last_hash, audit_updated_at FROM case_record WHERE audit_event_count > 0`);
    await q.query(`ALTER TABLE case_record DROP COLUMN audit_event_count, DROP COLUMN audit_last_hash, DROP COLUMN audit_updated_at`);
  }
}
