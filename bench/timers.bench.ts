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
import type { StartedApp } from '@app/bootstrap';
import { ClockService } from '@app/clock/clock.service';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { openDatabase, type BenchDatabase } from './engine.bench';
import { cloneSignedAgreements, createSignedTemplate, verifyChains, type SignedTemplate } from '@test/support/agreement-copies';
import { benchLog, f0, f2, writeResultsSection } from './report';
import { startQuietApp } from './app';

// --- shared with test/multi-instance.e2e.spec.ts -----------------------------------------------


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
 * BENCH_TIMER_DUE_INDEX=1 adds an index on case_timer (due_at, id) WHERE fired_at IS NULL
 * (bench database only), to see the sweeper without the sort over timers sharing one due_at.
 */
const DUE_ID_INDEX = process.env.BENCH_TIMER_DUE_INDEX === '1';
const RESULTS_FILE = process.env.BENCH_RESULTS ?? path.join(__dirname, 'RESULTS.md');
const HEADING = '## Timer firing';
const HOUR = 3600_000;

const log = benchLog('bench:timers');

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
    started = await startQuietApp(db.url);
    const clock = started.app.get(ClockService);
    const sweeper = started.app.get(TimerSweeperService);
    clock.freeze('2023-10-01T08:00:00Z');
    const template = await createSignedTemplate(started);
    if (DUE_ID_INDEX) await started.app.get(DataSource).query(`CREATE INDEX bench_timer_due_id_idx ON case_timer (due_at, id) WHERE fired_at IS NULL`);
    const due = template.timer.dueAt.getTime();
    // The template stays signed (its own timer out of reach): later sizes copy its current row.
    await started.app.get(DataSource).query(`UPDATE case_timer SET due_at = '2099-01-01T00:00:00Z' WHERE case_id = $1 AND fired_at IS NULL`, [template.id]);
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
                  (SELECT count(*)::int FROM case_timer WHERE fired_at IS NULL) AS timers,
                  (SELECT count(*)::int FROM case_timer WHERE fired_at IS NULL AND due_at <= $1) AS due,
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
    const fired = (await check.query<{ id: string }>(`SELECT case_id AS id FROM case_timer WHERE outcome = 'applied'`)).rows.map((r) => r.id);
    const bad = (
      await check.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM agreement a
          WHERE a.id = ANY($1::uuid[]) AND (a.state <> 'active' OR a.row_version <> $2
             OR (SELECT count(*) FROM audit_event e WHERE e.case_id = a.id AND e.event_type = 'START_DATE_REACHED') <> 1)`,
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
    '- The claim (`ORDER BY t.due_at, t.id LIMIT 1 … FOR UPDATE OF t, a SKIP LOCKED`) walks the partial index `case_timer (due_at, id) WHERE fired_at IS NULL` (migration TimerClaimOrder): no sort, so the per-timer time does not grow with the number of timers due at one instant (deadlines are midnights, so many share one). Before that index, 2,000 timers at one instant cost 5.4 ms per claim.',
  );
  if (DUE_ID_INDEX) lines.splice(lines.length - 1, 0, '- **Run with BENCH_TIMER_DUE_INDEX=1**: an extra index `case_timer (due_at, id) WHERE fired_at IS NULL` existed in the bench database (not in migrations/).');
  const section = lines.join('\n');
  process.stdout.write(`\n${section}\n`);
  if (!(await writeResultsSection(RESULTS_FILE, HEADING, section))) return;
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
