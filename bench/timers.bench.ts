/**
 * Timer firing benchmark (not a jest test): `npm run bench:timers`.
 *
 * How fast `TimerSweeperService.sweep()` fires due START_DATE_REACHED timers when 1 % of the
 * agreements are due, with 100,000 and with 1,000,000 agreements in the database, and whether the
 * time per timer depends on how many agreements (and not-yet-due timers) exist.
 *
 * Data: one Bromodellen agreement created and signed through the API (clock frozen before its
 * start date), then copied in bulk with SQL only (generate_series; the audit hash chain of every
 * copy is computed by PostgreSQL's sha256() over the same canonical JSON as src/audit/audit-chain.ts,
 * see cloneSignedAgreements). 1 % of the copies get a timer due at the start date's midnight — the
 * same instant for all, as real start dates give — the rest a timer weeks to years later.
 * The larger size is reached by adding copies to the smaller one.
 *
 * Environment: DATABASE_URL (else an embedded PostgreSQL in a temp dir), BENCH_TIMER_SIZES
 * (100000,300000: on the shared 2-vCPU VM copying runs at ~2,000 agreements/s, so 1,000,000 takes
 * ~8 min and ~9 GB; BENCH_TIMER_SIZES=100000,1000000 for the full comparison), BENCH_DUE_PERCENT (1), BENCH_WARMUP_TIMERS (200, fired before each measured
 * sweep and not counted), BENCH_RESULTS (bench/RESULTS.md; "-" to not write).
 */
import 'reflect-metadata';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { createApp, type StartedApp } from '@app/bootstrap';
import { GENESIS_HASH, canonicalJson, hashOf } from '@app/audit/audit-chain';
import type { AuditEvent } from '@app/audit/audit-event.entity';
import { AuditService, chainedFieldsOf } from '@app/audit/audit.service';
import { ClockService } from '@app/clock/clock.service';
import { JsonLogger } from '@app/logging/json-logger';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { bromodellenBody, createBromodellenParties } from '@test/support/factories';
import type { TestApp } from '@test/support/test-app';
import { openDatabase, type BenchDatabase } from './engine.bench';

// --- shared with test/multi-instance.e2e.spec.ts -----------------------------------------------

export interface SignedTemplate {
  id: string;
  /** Row version of the signed agreement (a START_DATE_REACHED must raise it by exactly one). */
  rowVersion: number;
  /** Audit rows of the template, in order (they are copied with the chain recomputed). */
  history: AuditEvent[];
  /** The template's one unfired timer (START_DATE_REACHED). */
  timer: { kind: string; cycle: number; dueDate: string; dueAt: Date; eventType: string; scheduledInState: string };
}

/**
 * Bromodellen created and signed by all three parties through HTTP on an in-process app whose
 * clock is frozen before the start date: state 'signed', one unfired START_DATE_REACHED timer.
 */
export async function createSignedTemplate(started: StartedApp, validity?: { startDate: string; endDate: string }): Promise<SignedTemplate> {
  const server = started.app.getHttpServer();
  const p = await createBromodellenParties({ http: () => request(server) } as unknown as TestApp);
  const body = bromodellenBody(p, validity ? { validity } : {});
  const id = (await request(server).post('/agreements').send(body).expect(201)).body.id as string;
  const events = [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))];
  for (const event of events) await request(server).post(`/agreements/${id}/events`).send(event).expect(200);
  const ds = started.app.get(DataSource);
  const [row] = await ds.query<Array<{ state: string; row_version: number }>>(`SELECT state, row_version FROM agreement WHERE id = $1`, [id]);
  if (row.state !== 'signed') throw new Error(`Mallen är ${row.state}, inte signed`);
  const timers = await ds.query<Array<{ kind: string; cycle: number; due_date: string; due_at: Date; event_type: string; scheduled_in_state: string }>>(
    `SELECT kind, cycle, due_date::text AS due_date, due_at, event_type, scheduled_in_state FROM agreement_timer WHERE agreement_id = $1 AND fired_at IS NULL`,
    [id],
  );
  if (timers.length !== 1 || timers[0].event_type !== 'START_DATE_REACHED') throw new Error(`Mallen väntar på ${JSON.stringify(timers)}, inte bara START_DATE_REACHED`);
  const t = timers[0];
  const history = await started.app.get(AuditService).history(id);
  return {
    id,
    rowVersion: row.row_version,
    history,
    timer: { kind: t.kind, cycle: t.cycle, dueDate: t.due_date, dueAt: new Date(t.due_at), eventType: t.event_type, scheduledInState: t.scheduled_in_state },
  };
}

async function columnsOf(db: Client, table: string): Promise<string[]> {
  const { rows } = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.column_name);
}

const ID_MARK = '@@AGREEMENT_ID@@';
const PREV_MARK = '@@PREV_HASH@@';

/**
 * The canonical JSON that src/audit/audit-chain.ts hashes, for one template audit row, split
 * around the agreement id and the previous hash: PostgreSQL then computes each copy's hash as
 * sha256(a || id || b || prev || c). Checked against hashOf() for the template itself.
 */
function hashPieces(row: AuditEvent): [string, string, string] {
  if (JSON.stringify(row.payload).includes(row.agreementId)) throw new Error('Mallens granskningsrad nämner dess id; kopiorna skulle bli fel');
  const json = canonicalJson({ ...chainedFieldsOf(row), agreementId: ID_MARK, prevHash: PREV_MARK });
  const idToken = JSON.stringify(ID_MARK);
  const prevToken = JSON.stringify(PREV_MARK);
  const i = json.indexOf(idToken);
  const j = json.indexOf(prevToken);
  if (i < 0 || j < i || json.indexOf(idToken, i + 1) >= 0 || json.indexOf(prevToken, j + 1) >= 0) throw new Error('Kunde inte dela granskningsradens JSON');
  const pieces: [string, string, string] = [`${json.slice(0, i)}"`, `"${json.slice(i + idToken.length, j)}"`, `"${json.slice(j + prevToken.length)}`];
  if (pieces[0] + row.agreementId + pieces[1] + row.prevHash + pieces[2] !== canonicalJson(chainedFieldsOf(row))) throw new Error('Delningen av granskningsradens JSON stämmer inte');
  return pieces;
}

export interface CloneOptions {
  /** How many copies. */
  count: number;
  /**
   * SQL for each copy's START_DATE_REACHED due_at, over `n.i` (1-based ordinal of the copy in this
   * call) and `d.due` (the template timer's due_at); null: copies get no timer (the caller inserts them).
   */
  timerDueAtSql: string | null;
  /** Copies per statement; default 20,000. */
  batch?: number;
  onProgress?: (done: number) => void;
}

/**
 * Copies a signed template `count` times with SQL only: agreement row (own id in the snapshot
 * context), parties, cost lines, members, reminders if any, the timer (see timerDueAtSql) and the
 * audit rows with each copy's hash chain computed by PostgreSQL. Returns the new ids in ordinal order.
 */
export async function cloneSignedAgreements(dbUrl: string, template: SignedTemplate, options: CloneOptions): Promise<string[]> {
  const db = new Client({ connectionString: dbUrl, application_name: 'timers-bench-clone' });
  await db.connect();
  const ids: string[] = [];
  try {
    const agreementCols = await columnsOf(db, 'agreement');
    const agreementSql = `INSERT INTO agreement (${agreementCols.map((c) => `"${c}"`).join(', ')})
      SELECT ${agreementCols
        .map((c) =>
          c === 'id' ? 'n.id' : c === 'context' ? `jsonb_set(a.context, '{agreementId}', to_jsonb(n.id::text))` : c === 'created_at' || c === 'updated_at' ? 'now()' : `a."${c}"`,
        )
        .join(', ')}
      FROM agreement a CROSS JOIN clone_ids n WHERE a.id = $1`;
    const childSql: string[] = [];
    for (const table of ['agreement_party', 'agreement_cost_line', 'agreement_member', 'agreement_reminder']) {
      const cols = (await columnsOf(db, table)).filter((c) => c !== 'id');
      if (cols.length === 0) continue;
      childSql.push(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')})
        SELECT ${cols.map((c) => (c === 'agreement_id' ? 'n.id' : `t."${c}"`)).join(', ')}
        FROM ${table} t CROSS JOIN clone_ids n WHERE t.agreement_id = $1`);
    }
    // The timer comes from the template's in-memory copy: the template row itself may have moved on.
    const timerSql =
      options.timerDueAtSql === null
        ? null
        : `INSERT INTO agreement_timer (agreement_id, kind, cycle, due_date, due_at, event_type, scheduled_in_state)
           SELECT n.id, $1, $2::int, $3::date, ${options.timerDueAtSql}, $5, $6
           FROM clone_ids n CROSS JOIN (SELECT $4::timestamptz AS due) d`;
    const auditCols = (await columnsOf(db, 'audit_event')).filter((c) => c !== 'id');
    const auditSql = (seq: number): string => {
      const prev = seq === 1 ? `'${GENESIS_HASH}'` : 'p.hash';
      const computed: Record<string, string> = {
        agreement_id: 'n.id',
        prev_hash: prev,
        hash: `encode(sha256(convert_to($2 || n.id::text || $3 || ${prev} || $4, 'UTF8')), 'hex')`,
      };
      return `INSERT INTO audit_event (${auditCols.map((c) => `"${c}"`).join(', ')})
        SELECT ${auditCols.map((c) => computed[c] ?? `e."${c}"`).join(', ')}
        FROM clone_ids n
        JOIN audit_event e ON e.agreement_id = $1 AND e.seq = ${seq}
        ${seq === 1 ? '' : `JOIN audit_event p ON p.agreement_id = n.id AND p.seq = ${seq - 1}`}
        ORDER BY n.i`;
    };
    const pieces = template.history.map(hashPieces);
    template.history.forEach((row, i) => {
      if (row.seq !== i + 1) throw new Error('Mallens historik har luckor');
    });

    await db.query(`CREATE TEMP TABLE clone_ids (i int PRIMARY KEY, id uuid NOT NULL)`);
    const batch = options.batch ?? 20_000;
    for (let start = 0; start < options.count; start += batch) {
      const size = Math.min(batch, options.count - start);
      await db.query('BEGIN');
      await db.query('TRUNCATE clone_ids');
      const { rows } = await db.query<{ id: string }>(`INSERT INTO clone_ids (i, id) SELECT g, gen_random_uuid() FROM generate_series($1::int, $2::int) g RETURNING id`, [
        start + 1,
        start + size,
      ]);
      // RETURNING order follows generate_series for a plain INSERT … SELECT; read back by ordinal to be sure.
      if (rows.length !== size) throw new Error('clone_ids');
      const ordered = await db.query<{ id: string }>(`SELECT id FROM clone_ids ORDER BY i`);
      for (const r of ordered.rows) ids.push(r.id);
      await db.query(agreementSql, [template.id]);
      for (const sql of childSql) await db.query(sql, [template.id]);
      if (timerSql) {
        const { kind, cycle, dueDate, dueAt, eventType, scheduledInState } = template.timer;
        await db.query(timerSql, [kind, cycle, dueDate, dueAt, eventType, scheduledInState]);
      }
      for (let seq = 1; seq <= template.history.length; seq++) {
        const [a, b, c] = pieces[seq - 1];
        await db.query(auditSql(seq), [template.id, a, b, c]);
      }
      await db.query('COMMIT');
      options.onProgress?.(start + size);
    }
    await db.query('DROP TABLE clone_ids');
    await db.query('ANALYZE agreement; ANALYZE agreement_timer; ANALYZE audit_event');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
  return ids;
}

/** Recomputes the hash chains of some agreements in JS (AuditService.verify reads every row). */
export async function verifyChains(dbUrl: string, agreementIds: string[]): Promise<{ checked: number; broken: string[] }> {
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{
      agreement_id: string;
      seq: number;
      occurred_at: Date;
      actor_person_id: string | null;
      actor_name: string;
      actor_role: string;
      actor_organisation_id: string | null;
      actor_organisation_name: string | null;
      event_type: string;
      payload: unknown;
      from_state: string;
      to_state: string;
      reason: string | null;
      outcome: string;
      prev_hash: string;
      hash: string;
    }>(`SELECT * FROM audit_event WHERE agreement_id = ANY($1::uuid[]) ORDER BY agreement_id, seq`, [agreementIds]);
    const broken = new Set<string>();
    let current = '';
    let prev = GENESIS_HASH;
    let seq = 1;
    for (const r of rows) {
      if (r.agreement_id !== current) {
        current = r.agreement_id;
        prev = GENESIS_HASH;
        seq = 1;
      }
      const hash = hashOf({
        agreementId: r.agreement_id,
        seq: r.seq,
        occurredAt: r.occurred_at.toISOString(),
        actorPersonId: r.actor_person_id,
        actorName: r.actor_name,
        actorRole: r.actor_role,
        actorOrganisationId: r.actor_organisation_id,
        actorOrganisationName: r.actor_organisation_name,
        eventType: r.event_type,
        payload: r.payload,
        fromState: r.from_state,
        toState: r.to_state,
        reason: r.reason,
        outcome: r.outcome,
        prevHash: r.prev_hash,
      });
      if (r.seq !== seq || r.prev_hash !== prev || r.hash !== hash) broken.add(r.agreement_id);
      prev = r.hash;
      seq += 1;
    }
    return { checked: new Set(rows.map((r) => r.agreement_id)).size, broken: [...broken] };
  } finally {
    await db.end();
  }
}

// --- benchmark ---------------------------------------------------------------------------------

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} ska vara ett tal, fick ${raw}`);
  return value;
};

const SIZES = (process.env.BENCH_TIMER_SIZES ?? '100000,300000')
  .split(',')
  .map((s) => Number.parseInt(s, 10))
  .filter((n) => n > 0)
  .sort((a, b) => a - b);
const DUE_PERCENT = num('BENCH_DUE_PERCENT', 1);
const WARMUP = Math.floor(num('BENCH_WARMUP_TIMERS', 200));
/**
 * BENCH_TIMER_DUE_INDEX=1 adds an index on agreement_timer (due_at, id) WHERE fired_at IS NULL
 * (bench database only), to see the sweeper without the sort over timers sharing one due_at.
 */
const DUE_ID_INDEX = process.env.BENCH_TIMER_DUE_INDEX === '1';
const RESULTS_FILE = process.env.BENCH_RESULTS ?? path.join(__dirname, 'RESULTS.md');
const HEADING = '## Timer firing';
const HOUR = 3600_000;

const log = (msg: string): void => {
  process.stderr.write(`[bench:timers] ${msg}\n`);
};
const f0 = (n: number): string => Math.round(n).toLocaleString('en-US');
const f2 = (n: number): string => n.toFixed(2);

interface Run {
  agreements: number;
  due: number;
  createMs: number;
  sweepMs: number;
  applied: number;
  skipped: number;
  perSecond: number;
  msPerTimer: number;
  dbSize: string;
}

/** The engine path's 1-client transition rate from the engine benchmark's table in RESULTS.md. */
async function engineRateFromResults(): Promise<{ perSecond: number; line: string } | null> {
  const file = RESULTS_FILE === '-' ? path.join(__dirname, 'RESULTS.md') : RESULTS_FILE;
  if (!existsSync(file)) return null;
  const text = await fs.readFile(file, 'utf8');
  const match = /^\|\s*1\s*\|\s*engine\s*\|\s*([\d,]+)\s*\|/m.exec(text);
  if (!match) return null;
  return { perSecond: Number(match[1].replace(/,/g, '')), line: match[0] };
}

async function main(): Promise<void> {
  const wallStart = performance.now();
  const disk = await fs.statfs(os.tmpdir()).catch(() => null);
  if (disk) log(`ledigt i ${os.tmpdir()}: ${f0((disk.bavail * disk.bsize) / 2 ** 30)} GiB`);
  const db: BenchDatabase = await openDatabase();
  let started: StartedApp | undefined;
  const runs: Run[] = [];
  try {
    started = await createApp({
      env: { DATABASE_URL: db.url, LOG_LEVEL: 'error', TIMER_SWEEP_INTERVAL_MS: '0' },
      port: 0,
      logger: new JsonLogger('error', () => undefined),
    });
    const clock = started.app.get(ClockService);
    const sweeper = started.app.get(TimerSweeperService);
    clock.freeze('2023-10-01T08:00:00Z');
    const template = await createSignedTemplate(started);
    if (DUE_ID_INDEX) await started.app.get(DataSource).query(`CREATE INDEX bench_timer_due_id_idx ON agreement_timer (due_at, id) WHERE fired_at IS NULL`);
    const due = template.timer.dueAt.getTime();
    // The template stays signed (its own timer out of reach): later sizes copy its current row.
    await started.app.get(DataSource).query(`UPDATE agreement_timer SET due_at = '2099-01-01T00:00:00Z' WHERE agreement_id = $1 AND fired_at IS NULL`, [template.id]);
    log(`mall ${template.id}: signed, START_DATE_REACHED ${template.timer.dueAt.toISOString()}, ${template.history.length} granskningsrader`);

    // Each size adds copies to what exists. Per step k (0-based) the measured due timers are all at
    // due + (k+1) h (one instant, like real start dates), the warm-up ones at due + (k+1) h − 15 min,
    // and the rest 30 days to ~3 years later, so they are never due here. The template's own timer
    // is parked in 2099 and never fires.
    let total = 1;
    for (const [k, size] of SIZES.entries()) {
      const add = size - total;
      const dueCount = Math.round((size * DUE_PERCENT) / 100);
      const measuredAt = new Date(due + (k + 1) * HOUR);
      const warmAt = new Date(measuredAt.getTime() - 15 * 60_000);
      const t0 = performance.now();
      let lastLog = t0;
      await cloneSignedAgreements(db.url, template, {
        count: add,
        timerDueAtSql: `CASE WHEN n.i <= ${dueCount} THEN '${measuredAt.toISOString()}'::timestamptz
                             WHEN n.i <= ${dueCount + WARMUP} THEN '${warmAt.toISOString()}'::timestamptz
                             ELSE d.due + interval '30 days' + (n.i % 1000) * interval '1 day' END`,
        onProgress: (done) => {
          if (performance.now() - lastLog > 10_000) {
            lastLog = performance.now();
            log(`  ${f0(done)} / ${f0(add)} kopierade (${f0(done / ((performance.now() - t0) / 1000))}/s)`);
          }
        },
      });
      const createMs = performance.now() - t0;
      total = size;
      const admin = new Client({ connectionString: db.url });
      await admin.connect();
      const counts = (
        await admin.query<{ agreements: number; timers: number; due: number; size: string }>(
          `SELECT (SELECT count(*)::int FROM agreement) AS agreements,
                  (SELECT count(*)::int FROM agreement_timer WHERE fired_at IS NULL) AS timers,
                  (SELECT count(*)::int FROM agreement_timer WHERE fired_at IS NULL AND due_at <= $1) AS due,
                  pg_size_pretty(pg_database_size(current_database())) AS size`,
          [new Date(measuredAt.getTime() + HOUR / 2)],
        )
      ).rows[0];
      await admin.end();
      log(`${f0(counts.agreements)} överenskommelser (${f0(add)} nya på ${f0(createMs / 1000)} s, ${f0(add / (createMs / 1000))}/s), ${f0(counts.timers)} ofyrade timers, databasen ${counts.size}`);

      clock.freeze(new Date(warmAt.getTime() + 5 * 60_000));
      const warm = await sweeper.sweep();
      log(`uppvärmning: ${warm.applied} avfyrade, ${warm.skipped} överhoppade`);
      clock.freeze(new Date(measuredAt.getTime() + HOUR / 2));
      const s0 = performance.now();
      const result = await sweeper.sweep();
      const sweepMs = performance.now() - s0;
      if (result.applied !== dueCount || result.skipped !== 0) throw new Error(`Väntade ${dueCount} avfyrade, fick ${JSON.stringify(result)}`);
      const run: Run = {
        agreements: counts.agreements,
        due: dueCount,
        createMs,
        sweepMs,
        applied: result.applied,
        skipped: result.skipped,
        perSecond: result.applied / (sweepMs / 1000),
        msPerTimer: sweepMs / result.applied,
        dbSize: counts.size,
      };
      runs.push(run);
      log(`${f0(run.agreements)} överenskommelser: ${f0(run.applied)} timers på ${f0(sweepMs)} ms = ${f0(run.perSecond)}/s (${f2(run.msPerTimer)} ms/timer)`);
    }

    // Every fired agreement is active once with a whole chain; a sample of the untouched copies too.
    const check = new Client({ connectionString: db.url });
    await check.connect();
    const fired = (await check.query<{ id: string }>(`SELECT agreement_id AS id FROM agreement_timer WHERE outcome = 'applied'`)).rows.map((r) => r.id);
    const bad = (
      await check.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM agreement a
          WHERE a.id = ANY($1::uuid[]) AND (a.state <> 'active' OR a.row_version <> $2
             OR (SELECT count(*) FROM audit_event e WHERE e.agreement_id = a.id AND e.event_type = 'START_DATE_REACHED') <> 1)`,
        [fired, template.rowVersion + 1],
      )
    ).rows[0].n;
    const sample = (await check.query<{ id: string }>(`SELECT id FROM agreement TABLESAMPLE SYSTEM (1) LIMIT 2000`)).rows.map((r) => r.id);
    await check.end();
    if (bad > 0) throw new Error(`${bad} avfyrade överenskommelser är inte aktiva exakt en gång`);
    const chains = await verifyChains(db.url, [...fired, ...sample]);
    if (chains.broken.length > 0) throw new Error(`Brutna kedjor: ${chains.broken.slice(0, 3).join(', ')}`);
    log(`kontroll: ${f0(fired.length)} avfyrade aktiva exakt en gång; ${f0(chains.checked)} kedjor omräknade och hela`);

    const engine = await engineRateFromResults();
    await writeResults(runs, engine, template, chains.checked);
  } finally {
    if (started) await started.app.close().catch((error: unknown) => log(`app.close: ${String(error)}`));
    await db.drop().catch((error: unknown) => log(`DROP DATABASE: ${String(error)}`));
    if (db.embedded) await db.embedded.stop();
    if (db.tempDir) await fs.rm(db.tempDir, { recursive: true, force: true });
    log(`klart på ${f0((performance.now() - wallStart) / 1000)} s`);
  }
}

async function writeResults(runs: Run[], engine: { perSecond: number; line: string } | null, template: SignedTemplate, chainsChecked: number): Promise<void> {
  const first = runs[0];
  const last = runs[runs.length - 1];
  const ratio = last.msPerTimer / first.msPerTimer;
  const slowest = runs.reduce((a, b) => (b.perSecond < a.perSecond ? b : a));
  const lines = [
    HEADING,
    '',
    `Written by \`bench/timers.bench.ts\` (\`npm run bench:timers\`) on ${new Date().toISOString()}; ${os.availableParallelism()} × ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}${process.env.DATABASE_URL ? ', DATABASE_URL' : ', embedded PostgreSQL (fsync off)'}.`,
    '',
    '| agreements | due timers | created in | sweep | timers/s | ms/timer | database |',
    '|-----------:|-----------:|-----------:|------:|---------:|---------:|---------:|',
    ...runs.map((r) => `| ${f0(r.agreements)} | ${f0(r.due)} | ${f0(r.createMs / 1000)} s | ${f2(r.sweepMs / 1000)} s | ${f0(r.perSecond)} | ${f2(r.msPerTimer)} | ${r.dbSize} |`),
    '',
    `- Per-timer time, ${f0(last.agreements)} vs ${f0(first.agreements)} agreements: **${f2(ratio)}×**${runs.length > 1 ? (ratio <= 1.25 ? ' — does not grow with the number of agreements' : ' — **grows** with the table size or with the number of due timers') : ' (one size only)'}.`,
    engine
      ? `- Against the engine path at 1 client in the table above (${f0(engine.perSecond)} transitions/s; the sweeper is one sequential loop): slowest run ${f0(slowest.perSecond)}/s = **${f2(slowest.perSecond / engine.perSecond)}×** (target ≥ 0.5: ${slowest.perSecond / engine.perSecond >= 0.5 ? '**met**' : '**not met**'}).`
      : '- No engine row found in RESULTS.md to compare with.',
    `- Workload: one Bromodellen agreement signed through the API (${template.history.length} audit rows), copied with SQL only; ${DUE_PERCENT} % of the agreements have a START_DATE_REACHED timer due at one instant (as real start dates at midnight give), ${f0(WARMUP)} more are fired first as warm-up and not counted, the rest are due 30 days to ~3 years later. Measured: \`TimerSweeperService.sweep()\` in process (clock frozen, TIMER_SWEEP_INTERVAL_MS=0), one transaction per timer: claim with \`FOR UPDATE OF t, a SKIP LOCKED\`, mark fired, re-check state, \`WorkflowEngineService.apply\` (audit row, timers replaced). Afterwards every fired agreement was checked active with row_version + 1 and one START_DATE_REACHED row, and ${f0(chainsChecked)} hash chains (all fired ones plus a sample of the rest) were recomputed.`,
    '',
  ];
  const biggest = runs[runs.length - 1];
  if (biggest.agreements < 1_000_000) {
    const rate = biggest.agreements / runs.reduce((sum, r) => sum + r.createMs / 1000, 0);
    lines.splice(
      lines.length - 1,
      0,
      `- 1,000,000 agreements not measured in this run (BENCH_TIMER_SIZES=${SIZES.join(',')}): copying ran at ~${f0(rate)} agreements/s here, so 1,000,000 would take ~${f0(1_000_000 / rate / 60)} min to create (${biggest.dbSize} for ${f0(biggest.agreements)}, so roughly ${f0((parseSize(biggest.dbSize) * 1_000_000) / biggest.agreements / 2 ** 30)} GiB), over the ~3 min budget for creating data.`,
    );
  }
  lines.splice(
    lines.length - 1,
    0,
    '- The claim (`ORDER BY t.due_at, t.id LIMIT 1 … FOR UPDATE OF t, a SKIP LOCKED`) walks the partial index `agreement_timer (due_at, id) WHERE fired_at IS NULL` (migration TimerClaimOrder): no sort, so the per-timer time does not grow with the number of timers due at one instant (deadlines are midnights, so many share one). Before that index, 2,000 timers at one instant cost 5.4 ms per claim.',
  );
  if (DUE_ID_INDEX) lines.splice(lines.length - 1, 0, '- **Run with BENCH_TIMER_DUE_INDEX=1**: an extra index `agreement_timer (due_at, id) WHERE fired_at IS NULL` existed in the bench database (not in migrations/).');
  const section = lines.join('\n');
  process.stdout.write(`\n${section}\n`);
  if (RESULTS_FILE === '-') return;
  const old = existsSync(RESULTS_FILE) ? await fs.readFile(RESULTS_FILE, 'utf8') : '';
  const at = old.indexOf(`\n${HEADING}\n`);
  let next: string;
  if (at >= 0) {
    // Replace our own section (up to the next "## " heading), keep everything else.
    const after = old.slice(at + 1 + HEADING.length);
    const nextHeading = after.search(/\n## /);
    next = `${old.slice(0, at + 1)}${section}${nextHeading >= 0 ? after.slice(nextHeading + 1) : ''}`;
  } else {
    next = `${old.replace(/\n+$/, '')}\n\n${section}`;
  }
  await fs.writeFile(RESULTS_FILE, next.replace(/\n+$/, '\n'));
  log(`skrev ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

/** "950 MB" → bytes (pg_size_pretty output). */
function parseSize(pretty: string): number {
  const match = /^([\d.]+)\s*(bytes|kB|MB|GB|TB)$/.exec(pretty.trim());
  if (!match) return Number.NaN;
  const unit = { bytes: 1, kB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40 }[match[2] as 'bytes' | 'kB' | 'MB' | 'GB' | 'TB'];
  return Number(match[1]) * unit;
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`[bench:timers] misslyckades: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
