import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables every kind of case shares: from now on keyed by case (type and id), not by agreement. */
const SHARED = [
  { from: 'agreement_timer', to: 'case_timer', nullable: false },
  { from: 'agreement_reminder', to: 'case_reminder', nullable: false },
  { from: 'audit_event', to: 'audit_event', nullable: false },
  { from: 'audit_chain_head', to: 'audit_chain_head', nullable: false },
  { from: 'outbox_message', to: 'outbox_message', nullable: true },
  { from: 'incident', to: 'incident', nullable: true },
  { from: 'security_event', to: 'security_event', nullable: true },
] as const;

/** Drops the foreign keys `table` has to `target`, whatever PostgreSQL named them. */
async function dropForeignKeys(q: QueryRunner, table: string, target: string): Promise<void> {
  const rows = (await q.query(
    `SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = $1::regclass AND confrelid = $2::regclass`,
    [table, target],
  )) as Array<{ conname: string }>;
  for (const { conname } of rows) await q.query(`ALTER TABLE ${table} DROP CONSTRAINT "${conname}"`);
}

/**
 * Issue 13: one engine for many kinds of case.
 * - case_record: every case of every kind, with what the shared views need (its kind, title,
 *   reference, state); the engine writes it from the case's snapshot. The snapshot itself stays in
 *   the kind's own table (agreement), beside what only that kind has.
 * - Timers, reminders, the audit history, its chain heads, the outbox, incidents and the security
 *   log name a case (case_type, case_id) instead of an agreement, and refer to case_record.
 * - audit_event.chain_version: the rows written so far were hashed with the key `agreementId`;
 *   version 2 hashes `caseType` and `caseId`. Existing rows keep version 1, so every chain stays intact.
 */
export class CaseKernel1765700000000 implements MigrationInterface {
  name = 'CaseKernel1765700000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_record (
        id uuid PRIMARY KEY,
        case_type text NOT NULL,
        title text NOT NULL,
        reference text,
        state text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (case_type, id)
      )`);
    await q.query(`CREATE INDEX case_record_type_state_idx ON case_record (case_type, state)`);
    await q.query(`
      INSERT INTO case_record (id, case_type, title, reference, state, created_at, updated_at)
      SELECT id, 'agreement', title, diarienummer, state, created_at, updated_at FROM agreement`);
    for (const { from, to, nullable } of SHARED) {
      await dropForeignKeys(q, from, 'agreement');
      if (from !== to) await q.query(`ALTER TABLE ${from} RENAME TO ${to}`);
      await q.query(`ALTER TABLE ${to} RENAME COLUMN agreement_id TO case_id`);
      // Filled for today's rows, then no default: every new row names its kind. The append-only tables
      // (audit_event, security_event) take it as a column default, which rewrites no row and fires no trigger.
      const byDefault = !nullable || to === 'security_event';
      await q.query(`ALTER TABLE ${to} ADD COLUMN case_type text ${byDefault ? `${nullable ? '' : 'NOT NULL '}DEFAULT 'agreement'` : ''}`);
      if (byDefault) await q.query(`ALTER TABLE ${to} ALTER COLUMN case_type DROP DEFAULT`);
      else await q.query(`UPDATE ${to} SET case_type = 'agreement' WHERE case_id IS NOT NULL`);
      if (to !== 'security_event') {
        // The security log may name a case that does not exist (someone guessing ids).
        await q.query(`ALTER TABLE ${to} ADD CONSTRAINT ${to}_case_fkey FOREIGN KEY (case_type, case_id) REFERENCES case_record (case_type, id) ON DELETE RESTRICT`);
      }
      if (nullable && to !== 'security_event') await q.query(`ALTER TABLE ${to} ADD CONSTRAINT ${to}_case_named_check CHECK ((case_id IS NULL) = (case_type IS NULL))`);
    }
    // The updates above are on tables that allow them; audit_event took only DDL (no row trigger fires).
    await q.query(`ALTER TABLE audit_event ADD COLUMN chain_version smallint NOT NULL DEFAULT 1 CHECK (chain_version IN (1, 2))`);
    await q.query(`ALTER TABLE audit_event ALTER COLUMN chain_version SET DEFAULT 2`);
    await q.query(`ALTER INDEX IF EXISTS agreement_timer_due_idx RENAME TO case_timer_due_idx`);
    await q.query(`ALTER INDEX IF EXISTS agreement_timer_agreement_idx RENAME TO case_timer_case_idx`);
    await q.query(`ALTER INDEX IF EXISTS agreement_reminder_due_idx RENAME TO case_reminder_due_idx`);
    await q.query(`ALTER INDEX IF EXISTS agreement_reminder_agreement_idx RENAME TO case_reminder_case_idx`);
    await q.query(`ALTER INDEX IF EXISTS outbox_message_agreement_idx RENAME TO outbox_message_case_idx`);
    await q.query(`ALTER SEQUENCE IF EXISTS agreement_timer_id_seq RENAME TO case_timer_id_seq`);
    await q.query(`ALTER SEQUENCE IF EXISTS agreement_reminder_id_seq RENAME TO case_reminder_id_seq`);
    // The agreement's own row is its case's: deleting one without the other is refused.
    await q.query(`ALTER TABLE agreement ADD CONSTRAINT agreement_case_fkey FOREIGN KEY (id) REFERENCES case_record (id) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED`);
  }

  public async down(q: QueryRunner): Promise<void> {
    const others = (await q.query(`SELECT count(*)::int AS n FROM case_record WHERE case_type <> 'agreement'`)) as Array<{ n: number }>;
    if (others[0].n > 0) throw new Error('Det finns ärenden av andra slag än överenskommelser; de kan inte flyttas tillbaka.');
    const v2 = (await q.query(`SELECT count(*)::int AS n FROM audit_event WHERE chain_version = 2`)) as Array<{ n: number }>;
    if (v2[0].n > 0) throw new Error('Historiken har rader hashade i version 2; en nedgradering skulle bryta kedjorna.');
    await q.query(`ALTER TABLE agreement DROP CONSTRAINT agreement_case_fkey`);
    await q.query(`ALTER TABLE audit_event DROP COLUMN chain_version`);
    await q.query(`ALTER SEQUENCE IF EXISTS case_timer_id_seq RENAME TO agreement_timer_id_seq`);
    await q.query(`ALTER SEQUENCE IF EXISTS case_reminder_id_seq RENAME TO agreement_reminder_id_seq`);
    await q.query(`ALTER INDEX IF EXISTS case_timer_due_idx RENAME TO agreement_timer_due_idx`);
    await q.query(`ALTER INDEX IF EXISTS case_timer_case_idx RENAME TO agreement_timer_agreement_idx`);
    await q.query(`ALTER INDEX IF EXISTS case_reminder_due_idx RENAME TO agreement_reminder_due_idx`);
    await q.query(`ALTER INDEX IF EXISTS case_reminder_case_idx RENAME TO agreement_reminder_agreement_idx`);
    await q.query(`ALTER INDEX IF EXISTS outbox_message_case_idx RENAME TO outbox_message_agreement_idx`);
    for (const { from, to } of [...SHARED].reverse()) {
      await q.query(`ALTER TABLE ${to} DROP CONSTRAINT IF EXISTS ${to}_case_fkey`);
      await q.query(`ALTER TABLE ${to} DROP CONSTRAINT IF EXISTS ${to}_case_named_check`);
      await q.query(`ALTER TABLE ${to} DROP COLUMN case_type`);
      await q.query(`ALTER TABLE ${to} RENAME COLUMN case_id TO agreement_id`);
      if (from !== to) await q.query(`ALTER TABLE ${to} RENAME TO ${from}`);
      if (from !== 'security_event') {
        await q.query(`ALTER TABLE ${from} ADD FOREIGN KEY (agreement_id) REFERENCES agreement(id) ON DELETE ${from === 'agreement_timer' || from === 'agreement_reminder' ? 'CASCADE' : 'RESTRICT'}`);
      }
    }
    await q.query(`DROP TABLE case_record`);
  }
}
