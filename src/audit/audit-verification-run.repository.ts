import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditVerificationReport } from './audit-verifier.service';

export type VerificationRunStatus = 'pågår' | 'klar' | 'avbruten';

/** Who started the nightly run. */
export const SCHEDULED = 'schemalagd';

/**
 * The advisory lock a run holds for as long as its snapshot transaction lives (the two-key form,
 * so it cannot meet the one-key locks hashed from names elsewhere). When the run's process dies,
 * its connection closes and the lock is free: a row still 'pågår' then has nobody behind it.
 */
export const RUN_LOCK: readonly [number, number] = [0x494f50, 14];

export interface VerificationRun {
  id: string;
  status: VerificationRunStatus;
  startedAt: Date;
  startedBy: string;
  startedByPersonId: string | null;
  instance: string;
  progressAt: Date;
  finishedAt: Date | null;
  rowsChecked: number;
  chainsChecked: number;
  intact: boolean | null;
  /** The verifier's report, when klar. */
  report: AuditVerificationReport | null;
  failure: string | null;
}

interface RunRow {
  id: string;
  status: VerificationRunStatus;
  started_at: Date;
  started_by: string;
  started_by_person_id: string | null;
  instance: string;
  progress_at: Date;
  finished_at: Date | null;
  rows_checked: string;
  chains_checked: number;
  intact: boolean | null;
  report: AuditVerificationReport | null;
  failure: string | null;
}

const COLUMNS = `id::text, status, started_at, started_by, started_by_person_id, instance, progress_at, finished_at, rows_checked::text, chains_checked, intact, report, failure`;
/** Everything but the report (which can be long): for the run in progress and the last aborted one. */
const SHORT_COLUMNS = `id::text, status, started_at, started_by, started_by_person_id, instance, progress_at, finished_at, rows_checked::text, chains_checked, intact, NULL::jsonb AS report, failure`;

const runOf = (row: RunRow): VerificationRun => ({
  id: row.id,
  status: row.status,
  startedAt: row.started_at,
  startedBy: row.started_by,
  startedByPersonId: row.started_by_person_id,
  instance: row.instance,
  progressAt: row.progress_at,
  finishedAt: row.finished_at,
  rowsChecked: Number(row.rows_checked),
  chainsChecked: row.chains_checked,
  intact: row.intact,
  report: row.report,
  failure: row.failure,
});

/** The one file that reads and writes audit_verification_run, and takes and looks at the run's lock. */
@Injectable()
export class AuditVerificationRunRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** In the run's own (snapshot) transaction: true when this transaction now holds the run lock, false when another run has it. */
  async tryLock(manager: EntityManager): Promise<boolean> {
    const [row] = await manager.query<Array<{ locked: boolean }>>(`SELECT pg_try_advisory_xact_lock($1, $2) AS locked`, [...RUN_LOCK]);
    return row.locked;
  }

  /** Whether some session (of any instance) holds the run lock now. */
  async lockHeld(): Promise<boolean> {
    const [row] = await this.dataSource.query<Array<{ held: boolean }>>(
      `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                        AND classid = $1::int::oid AND objid = $2::int::oid AND objsubid = 2) AS held`,
      [...RUN_LOCK],
    );
    return row.held;
  }

  /** Runs left 'pågår' by a process that died; only called by whoever holds the run lock (so none of them is alive). */
  async abandonOrphans(now: Date): Promise<number> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `UPDATE audit_verification_run SET status = 'avbruten', finished_at = $1, failure = 'processen som körde kontrollen avslutades innan den var klar'
        WHERE status = 'pågår' RETURNING id::text`,
      [now],
    );
    return rows.length;
  }

  async insert(run: { startedAt: Date; startedBy: string; startedByPersonId: string | null; instance: string }): Promise<string> {
    const [row] = await this.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO audit_verification_run (status, started_at, started_by, started_by_person_id, instance, progress_at) VALUES ('pågår', $1, $2, $3, $4, $1) RETURNING id::text`,
      [run.startedAt, run.startedBy, run.startedByPersonId, run.instance],
    );
    return row.id;
  }

  async progress(id: string, rowsChecked: number, chainsChecked: number, at: Date): Promise<void> {
    await this.dataSource.query(`UPDATE audit_verification_run SET rows_checked = $2, chains_checked = $3, progress_at = $4 WHERE id = $1 AND status = 'pågår'`, [
      id,
      rowsChecked,
      chainsChecked,
      at,
    ]);
  }

  async finish(id: string, report: AuditVerificationReport, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE audit_verification_run SET status = 'klar', finished_at = $2, progress_at = $2, rows_checked = $3, chains_checked = $4, intact = $5, report = $6::jsonb
        WHERE id = $1 AND status = 'pågår'`,
      [id, at, report.eventsChecked, report.agreementsChecked, report.intact, JSON.stringify(report)],
    );
  }

  async abort(id: string, failure: string, at: Date): Promise<void> {
    await this.dataSource.query(`UPDATE audit_verification_run SET status = 'avbruten', finished_at = $2, failure = $3 WHERE id = $1 AND status = 'pågår'`, [id, at, failure]);
  }

  /** The latest finished run, with its report; null before the first. */
  async latestDone(): Promise<VerificationRun | null> {
    const [row] = await this.dataSource.query<RunRow[]>(`SELECT ${COLUMNS} FROM audit_verification_run WHERE status = 'klar' ORDER BY id DESC LIMIT 1`);
    return row === undefined ? null : runOf(row);
  }

  /** The latest run of any status, without its report. */
  async latest(): Promise<VerificationRun | null> {
    const [row] = await this.dataSource.query<RunRow[]>(`SELECT ${SHORT_COLUMNS} FROM audit_verification_run ORDER BY id DESC LIMIT 1`);
    return row === undefined ? null : runOf(row);
  }

  async byId(id: string): Promise<VerificationRun | null> {
    const [row] = await this.dataSource.query<RunRow[]>(`SELECT ${SHORT_COLUMNS} FROM audit_verification_run WHERE id = $1`, [id]);
    return row === undefined ? null : runOf(row);
  }

  /** When the latest finished run started (what the schedule compares with); null before the first. */
  async latestDoneStartedAt(): Promise<Date | null> {
    const [row] = await this.dataSource.query<Array<{ started_at: Date }>>(`SELECT started_at FROM audit_verification_run WHERE status = 'klar' ORDER BY id DESC LIMIT 1`);
    return row?.started_at ?? null;
  }
}
