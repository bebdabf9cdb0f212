import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The service role named by iop.service_role, quoted; null when none is named (see LeastPrivilege). */
async function serviceRoleOf(q: QueryRunner): Promise<string | null> {
  const [row] = (await q.query(`SELECT nullif(current_setting('iop.service_role', true), '') AS role`)) as Array<{ role: string | null }>;
  return row?.role ? `"${row.role.replace(/"/g, '""')}"` : null;
}

/**
 * Issue 14: Granskning shows a stored verification of every chain instead of verifying on every
 * view. One row per run: who started it (a person's name, or 'schemalagd'), its progress (written
 * after every batch) and, when it is done, the verifier's report. At most one run is 'pågår' (the
 * partial unique index; the run also holds an advisory lock for as long as its transaction lives,
 * so a run whose process died is known by the lock being free). The service role reads, adds and
 * updates runs, never removes them.
 */
export class AuditVerificationRuns1765980000000 implements MigrationInterface {
  name = 'AuditVerificationRuns1765980000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_verification_run (
        id bigserial PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('pågår', 'klar', 'avbruten')),
        started_at timestamptz NOT NULL,
        -- The person's name, or 'schemalagd' for the nightly run.
        started_by text NOT NULL,
        started_by_person_id uuid,
        -- Host and pid of the instance that runs it, for the logs.
        instance text NOT NULL,
        -- Written with every batch's progress: when the run was last heard from.
        progress_at timestamptz NOT NULL,
        finished_at timestamptz,
        rows_checked bigint NOT NULL DEFAULT 0,
        chains_checked integer NOT NULL DEFAULT 0,
        intact boolean,
        -- The verifier's report (findings, breaks, checkpoint; no list of every case), when klar.
        report jsonb,
        -- Why it stopped, when avbruten.
        failure text,
        CHECK ((status = 'pågår') = (finished_at IS NULL)),
        CHECK (status <> 'klar' OR (report IS NOT NULL AND intact IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX audit_verification_run_one_running ON audit_verification_run ((true)) WHERE status = 'pågår'`);
    await q.query(`CREATE INDEX audit_verification_run_done_idx ON audit_verification_run (id DESC) WHERE status = 'klar'`);
    const app = await serviceRoleOf(q);
    // Default privileges granted SELECT, INSERT, UPDATE and DELETE: a run is never removed.
    if (app !== null) await q.query(`REVOKE DELETE, TRUNCATE ON audit_verification_run FROM ${app}`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_verification_run`);
  }
}
