/**
 * Read benchmark (issue 14, not a jest test): `npm run bench:reads`.
 *
 * Creates 1,000 / 10,000 / 100,000 agreements (20 % each of draft, signing, active, renewed and
 * expired, with their parties, members, cost lines, timers, reminders, audit chains and chain
 * heads: eight templates driven through the API and the timer sweeper on a frozen clock, then
 * copied with SQL only, see bench/reads-seed.ts) and measures, per size, p50/p99 at 1 and 50
 * concurrent clients of every list endpoint and page, the calendar feed (a person in 100
 * agreements, and the secretariat's), the committee report (JSON, HTML, PDF) for a year with
 * ≤ 1,000 agreements in force, /audit/verify, and the weekly digest's build (in process, with
 * its event-loop delay). The service runs as its own process, built with tsc (bench/reads-app.ts);
 * its RSS is sampled every 100 ms and its peak reported. The sizes grow: each adds copies to the
 * data of the one before, and each size gets a fresh service process.
 *
 * Environment: DATABASE_URL (a server: the benchmark creates and drops its own database on it;
 * else an embedded PostgreSQL in a temp dir), BENCH_READ_SIZES (1000,10000,100000),
 * BENCH_READ_SECONDS (3: measured per endpoint and level), BENCH_READ_CONCURRENCY (1,50),
 * BENCH_READ_TIMEOUT_SECONDS (30, per request), BENCH_READ_HEAVY_SECONDS (1: above this 1-client
 * p50 an endpoint gets one more sample only and no run at higher concurrency),
 * BENCH_READ_DRAIN_SECONDS (15: after a timeout, how long the service may stay busy before it is
 * restarted), BENCH_READ_VERIFY_TIMEOUT_SECONDS (180, for /audit/verify), BENCH_READ_ONLY (comma-separated substrings of endpoint names to run only those),
 * BENCH_RESULTS (bench/RESULTS-reads.md; "-" to not write).
 */
import { cpuMark, otherCpus } from './cpu';
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { StartedApp } from '@app/bootstrap';
import { ActorResolver } from '@app/auth/actor.resolver';
import { SESSION_COOKIE } from '@app/auth/secrets';
import { SessionsService } from '@app/auth/sessions.service';
import { ClockService } from '@app/clock/clock.service';
import { CalendarFeedService } from '@app/notifications/calendar-feed.service';
import { digestDueAt } from '@app/notifications/iso-week';
import { WeeklyDigestService } from '@app/notifications/weekly-digest.service';
import { verifyChains } from '@test/support/agreement-copies';
import { openDatabase, type BenchDatabase } from './engine.bench';
import { startQuietApp } from './app';
import { benchLog, f0, f2, writeResultsSection } from './report';
import { buildService, startService, type ServiceHandle } from './reads-app';
import { get, percentile, runLevel, type LevelResult, type Target } from './reads-http';
import { createTemplates, growTo, planFor, type ReadFixture } from './reads-seed';

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} ska vara ett tal, fick ${raw}`);
  return value;
};
const list = (name: string, fallback: string): number[] =>
  (process.env[name] ?? fallback)
    .split(',')
    .map((s) => Number.parseInt(s.trim(), 10))
    .filter((n) => n > 0);

const SIZES = list('BENCH_READ_SIZES', '1000,10000,100000').sort((a, b) => a - b);
const LEVELS = list('BENCH_READ_CONCURRENCY', '1,50').sort((a, b) => a - b);
const WINDOW_MS = num('BENCH_READ_SECONDS', 3) * 1000;
const TIMEOUT_MS = num('BENCH_READ_TIMEOUT_SECONDS', 30) * 1000;
const HEAVY_MS = num('BENCH_READ_HEAVY_SECONDS', 1) * 1000;
const DRAIN_MS = num('BENCH_READ_DRAIN_SECONDS', 15) * 1000;
/** The verifier reads every audit row (1.16 M at 100,000): it gets longer, so its rate and RSS are measured, not just "> 30 s". */
const VERIFY_TIMEOUT_MS = num('BENCH_READ_VERIFY_TIMEOUT_SECONDS', 180) * 1000;
const ONLY = (process.env.BENCH_READ_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const RESULTS_FILE = process.env.BENCH_RESULTS ?? path.join(__dirname, 'RESULTS-reads.md');
const HEADING = '## Reads';
const DIGEST_RUNS = 3;

const log = benchLog('bench:reads');

// --- what is measured --------------------------------------------------------------------------

type Who = 'secretariat' | 'administrator' | 'auditor' | 'small partner signatory' | 'token: small partner signatory' | 'token: secretariat';
type Group = 'list' | 'page' | 'calendar' | 'report' | 'verify';

interface Context {
  fx: ReadFixture;
  renewedId: string;
  calendarTokens: { small: string; secretariat: string };
}

interface Endpoint {
  name: string;
  group: Group;
  who: Who;
  path: (c: Context) => string;
  /** Target p99 at one client (ms), where the issue gives one. */
  target1?: number;
  /** Target p99 at 50 clients (ms), with no error. */
  target50?: number;
  /** Measured on a freshly started service (its RSS then is the endpoint's own). */
  fresh?: boolean;
  /** Per-request timeout, if not TIMEOUT_MS. */
  timeoutMs?: number;
}

const LIST_1 = 100;
const LIST_50 = 1000;
const list1 = { target1: LIST_1, target50: LIST_50 };

const ALL_ENDPOINTS: Endpoint[] = [
  // JSON API (x-person-id; the service trusts it here, TRUST_ACTOR_HEADER=on)
  { name: 'GET /agreements', group: 'list', who: 'secretariat', path: () => '/agreements', ...list1 },
  { name: 'GET /agreements?state=active', group: 'list', who: 'secretariat', path: () => '/agreements?state=active', ...list1 },
  { name: 'GET /agreements?partner=<small partner>', group: 'list', who: 'secretariat', path: (c) => `/agreements?partner=${c.fx.smallPartner.id}`, ...list1 },
  { name: 'GET /overview', group: 'list', who: 'secretariat', path: () => '/overview', ...list1 },
  { name: 'GET /agreements/:id/history (renewed)', group: 'list', who: 'secretariat', path: (c) => `/agreements/${c.renewedId}/history`, ...list1 },
  { name: 'GET /cases/agreement/:id/history', group: 'list', who: 'secretariat', path: (c) => `/cases/agreement/${c.renewedId}/history`, ...list1 },
  { name: 'GET /agreements/:id/notifications', group: 'list', who: 'secretariat', path: (c) => `/agreements/${c.renewedId}/notifications`, ...list1 },
  { name: 'GET /notifications/failed', group: 'list', who: 'secretariat', path: () => '/notifications/failed', ...list1 },
  { name: 'GET /mailbox', group: 'list', who: 'secretariat', path: () => '/mailbox', ...list1 },
  { name: 'GET /people', group: 'list', who: 'secretariat', path: () => '/people', ...list1 },
  { name: 'GET /organisations', group: 'list', who: 'secretariat', path: () => '/organisations', ...list1 },
  { name: 'GET /accounts', group: 'list', who: 'administrator', path: () => '/accounts', ...list1 },
  { name: 'GET /committee/visits', group: 'list', who: 'secretariat', path: () => '/committee/visits', ...list1 },
  { name: 'GET /committee/visit-templates', group: 'list', who: 'secretariat', path: () => '/committee/visit-templates', ...list1 },
  { name: 'GET /meetings', group: 'list', who: 'secretariat', path: () => '/meetings', ...list1 },
  { name: 'GET /funding-decisions', group: 'list', who: 'secretariat', path: () => '/funding-decisions', ...list1 },
  { name: 'GET /incidents', group: 'list', who: 'administrator', path: () => '/incidents', ...list1 },
  { name: 'GET /audit/checkpoints', group: 'list', who: 'secretariat', path: () => '/audit/checkpoints', ...list1 },
  // Web pages (session cookie)
  { name: 'page /bevakning', group: 'page', who: 'secretariat', path: () => '/bevakning', ...list1 },
  { name: 'page /portfolj', group: 'page', who: 'secretariat', path: () => '/portfolj', ...list1 },
  { name: 'page /portfolj/utskrift', group: 'page', who: 'secretariat', path: () => '/portfolj/utskrift', ...list1 },
  { name: 'page /portfolj.csv', group: 'page', who: 'secretariat', path: () => '/portfolj.csv', ...list1 },
  { name: 'page /mina-overenskommelser', group: 'page', who: 'small partner signatory', path: () => '/mina-overenskommelser', ...list1 },
  { name: 'page /overenskommelser/:id (renewed)', group: 'page', who: 'secretariat', path: (c) => `/overenskommelser/${c.renewedId}`, ...list1 },
  { name: 'page /granskning', group: 'page', who: 'auditor', path: () => '/granskning', ...list1 },
  { name: 'page /administration', group: 'page', who: 'administrator', path: () => '/administration', ...list1 },
  { name: 'page /administration/incidenter', group: 'page', who: 'administrator', path: () => '/administration/incidenter', ...list1 },
  { name: 'page /namndbesok', group: 'page', who: 'secretariat', path: () => '/namndbesok', ...list1 },
  { name: 'page /sammantradesplan', group: 'page', who: 'secretariat', path: () => '/sammantradesplan', ...list1 },
  { name: 'page /beslut-om-medel', group: 'page', who: 'secretariat', path: () => '/beslut-om-medel', ...list1 },
  // Calendar feeds (token in the query)
  { name: 'GET /calendar.ics (person in 100 agreements)', group: 'calendar', who: 'token: small partner signatory', path: (c) => `/calendar.ics?token=${c.calendarTokens.small}`, target1: 200 },
  { name: 'GET /calendar.ics (secretariat: all)', group: 'calendar', who: 'token: secretariat', path: (c) => `/calendar.ics?token=${c.calendarTokens.secretariat}` },
  // The committee report for the year with ≤ 1,000 agreements in force
  { name: 'GET /committee/reports/:year (JSON)', group: 'report', who: 'secretariat', path: (c) => `/committee/reports/${c.fx.reportYear}`, target1: 1000 },
  { name: 'page /rapporter/:year', group: 'report', who: 'secretariat', path: (c) => `/rapporter/${c.fx.reportYear}` },
  { name: 'GET /committee/reports/:year.pdf', group: 'report', who: 'secretariat', path: (c) => `/committee/reports/${c.fx.reportYear}.pdf`, target1: 5000 },
  // The verifier
  { name: 'GET /audit/verify', group: 'verify', who: 'secretariat', path: () => '/audit/verify', fresh: true, timeoutMs: VERIFY_TIMEOUT_MS },
];
const ENDPOINTS = ALL_ENDPOINTS.filter((e) => ONLY.length === 0 || ONLY.some((o) => e.name.includes(o)));

interface LevelRow {
  clients: number;
  count: number;
  p50: number;
  p99: number;
  errors: number;
  statuses: string;
  firstError: string | null;
  /** Peak RSS of the service during this level (MB). */
  peakRssMb: number;
  timeoutMs: number;
}

interface Row {
  endpoint: Endpoint;
  /** Why the endpoint was not (fully) measured. */
  note: string | null;
  levels: Array<LevelRow | { clients: number; skipped: string }>;
  bytes: number;
  /** RSS when the row began and its peak (MB). */
  startRssMb: number;
  peakRssMb: number;
  otherCpus: number;
}

interface DigestRun {
  ms: number;
  loopMaxMs: number;
  loopP99Ms: number;
  htmlKb: number;
  rssDeltaMb: number;
}

interface SizeResult {
  size: number;
  counts: { agreements: number; audit: number; timers: number; reminders: number; dbSize: string; byState: string };
  seedMs: number;
  rows: Row[];
  digest: DigestRun[];
  peakRssMb: number;
  /** RSS of the fresh service before the first request. */
  idleRssMb: number;
  restarts: string[];
  verify: string | null;
  calendarConditional: string;
  chainsChecked: number;
  otherCpus: number;
  loadAvg: [number, number];
  readMs: number;
}

// --- formatting --------------------------------------------------------------------------------

const ms = (v: number, timeoutMs = TIMEOUT_MS): string =>
  Number.isNaN(v) ? '–' : v === Number.POSITIVE_INFINITY ? `> ${f0(timeoutMs / 1000)} s` : v >= 1000 ? `${f2(v / 1000)} s` : v >= 100 ? `${f0(v)} ms` : `${v.toFixed(1)} ms`;
const mb = (v: number): string => (Number.isFinite(v) && v > 0 ? `${f0(v)} MB` : '–');
const bytes = (v: number): string => (v >= 2 ** 20 ? `${(v / 2 ** 20).toFixed(1)} MB` : v >= 1024 ? `${f0(v / 1024)} kB` : `${f0(v)} B`);

function levelRow(r: LevelResult, timeoutMs: number): LevelRow {
  return {
    clients: r.clients,
    count: r.latencies.length,
    p50: percentile(r.latencies, 50),
    p99: percentile(r.latencies, 99),
    errors: r.errors,
    statuses: [...r.statuses.entries()].map(([s, n]) => `${s}×${f0(n)}`).join(' '),
    firstError: r.firstError,
    peakRssMb: Number.NaN,
    timeoutMs,
  };
}

const isLevel = (l: LevelRow | { skipped: string }): l is LevelRow => !('skipped' in l);

// --- main --------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const wallStart = performance.now();
  const loadAtStart = os.loadavg()[0];
  log(`storlekar ${SIZES.map(f0).join(', ')}; klienter ${LEVELS.join(', ')}; ${WINDOW_MS / 1000} s per mätning; timeout ${TIMEOUT_MS / 1000} s; 1-minuts load average ${loadAtStart.toFixed(2)}`);
  const db: BenchDatabase = await openDatabase();
  let started: StartedApp | undefined;
  let service: ServiceHandle | undefined;
  let build: Awaited<ReturnType<typeof buildService>> | undefined;
  const watch = new Client({ connectionString: db.url, application_name: 'reads-bench-watch' });
  const results: SizeResult[] = [];
  const timedOutAt = new Map<string, number>();
  let templatesMs = 0;
  let buildMs = 0;
  let buildPromise: ReturnType<typeof buildService> | undefined;
  try {
    const b0 = performance.now();
    buildPromise = buildService();
    started = await startQuietApp(db.url);
    const { app } = started;
    await watch.connect();
    log(`seedningsappen på databas ${db.name}; mallarna skapas genom API:t med fryst klocka`);
    const fx = await createTemplates(started, log);
    templatesMs = fx.templatesMs;
    log(`mallarna klara på ${f0(templatesMs / 1000)} s`);
    build = await buildPromise;
    buildMs = build.ms;
    log(`tjänsten byggd med tsc i ${path.relative(process.cwd(), build.dir)} (${f0(buildMs / 1000)} s, parallellt med mallarna; ${f0((performance.now() - b0) / 1000)} s sedan start)`);

    const ds = app.get(DataSource);
    const admin = await app.get(ActorResolver).actorOf(fx.administratorId);
    if (!admin) throw new Error('Administratören finns inte');
    const feeds = app.get(CalendarFeedService);
    const calendarTokens = { small: (await feeds.issue(fx.smallSignatory.id, admin)).token, secretariat: (await feeds.issue(fx.parties.secretariat.id, admin)).token };
    const renewedId = fx.templates.find((t) => t.key === 'renewed')!.id;
    const ctx: Context = { fx, renewedId, calendarTokens };
    const personOf: Record<'secretariat' | 'administrator' | 'auditor' | 'small partner signatory', string> = {
      secretariat: fx.parties.secretariat.id,
      administrator: fx.administratorId,
      auditor: fx.auditor.id,
      'small partner signatory': fx.smallSignatory.id,
    };
    const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(...LEVELS) + 4 });

    for (const size of SIZES) {
      // -- data
      const grown = await growTo(db.url, fx, size, log);
      const counts = (
        await watch.query<{ agreements: number; audit: number; timers: number; reminders: number; size: string }>(
          `SELECT (SELECT count(*)::int FROM agreement) AS agreements, (SELECT count(*)::int FROM audit_event) AS audit,
                  (SELECT count(*)::int FROM case_timer) AS timers, (SELECT count(*)::int FROM case_reminder) AS reminders,
                  pg_size_pretty(pg_database_size(current_database())) AS size`,
        )
      ).rows[0];
      const byState = (await watch.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM agreement GROUP BY state ORDER BY state`)).rows.map((r) => `${r.state} ${f0(r.n)}`).join(', ');
      log(
        `${f0(counts.agreements)} överenskommelser (${f0(grown.added)} nya på ${f0(grown.ms / 1000)} s inkl. VACUUM ANALYZE), ${f0(counts.audit)} granskningsrader, ${f0(counts.timers)} timers, ${f0(counts.reminders)} påminnelser, ${counts.size}; ${byState}`,
      );
      if (counts.agreements !== size) throw new Error(`Väntade ${size} överenskommelser, fick ${counts.agreements}`);
      const sample = (await watch.query<{ id: string }>(`SELECT id FROM agreement ORDER BY random() LIMIT 300`)).rows.map((r) => r.id);
      const chains = await verifyChains(db.url, [...fx.templates.map((t) => t.id), ...sample]);
      if (chains.broken.length > 0) throw new Error(`Brutna kedjor i kopiorna: ${chains.broken.slice(0, 3).join(', ')}`);

      // -- who asks: sessions for the pages (fresh per size, so none idles out), the header for the API
      const sessions = app.get(SessionsService);
      const cookies: Record<string, string> = {};
      for (const [who, id] of Object.entries(personOf)) cookies[who] = `${SESSION_COOKIE}=${(await sessions.create(id)).secret}`;
      const headersFor = (e: Endpoint): Record<string, string> => {
        if (e.who.startsWith('token:')) return { accept: 'text/calendar' };
        const who = e.who as keyof typeof personOf;
        return e.group === 'page' || e.name.startsWith('page ') ? { cookie: cookies[who], accept: 'text/html' } : { 'x-person-id': personOf[who], accept: 'application/json' };
      };

      // -- the service, fresh for the size
      const restarts: string[] = [];
      let peakRss = 0;
      const startFresh = async (): Promise<ServiceHandle> => {
        const s = await startService({ distDir: build!.dir, databaseUrl: db.url });
        log(`tjänsten pid ${s.pid} på ${s.url}`);
        return s;
      };
      const stopService = async (): Promise<void> => {
        if (!service) return;
        await service.stop();
        peakRss = Math.max(peakRss, service.peakMb());
        service = undefined;
      };
      service = await startFresh();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const idleRssMb = service.beginWindow().startMb;
      const pgPids = async (): Promise<number[]> => (await watch.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)).rows.map((r) => r.pid);
      const sizeMark = await cpuMark(db.embedded ? [] : await pgPids());
      const loadBefore = os.loadavg()[0];
      const r0 = performance.now();

      const rows: Row[] = [];
      let verify: string | null = null;
      let calendarConditional = 'not measured';
      for (const e of ENDPOINTS) {
        const earlier = timedOutAt.get(e.name);
        if (earlier !== undefined) {
          rows.push({ endpoint: e, note: `not run: timed out (> ${f0((e.timeoutMs ?? TIMEOUT_MS) / 1000)} s) at ${f0(earlier)}`, levels: [], bytes: 0, startRssMb: Number.NaN, peakRssMb: Number.NaN, otherCpus: Number.NaN });
          continue;
        }
        if (e.fresh) {
          await stopService();
          service = await startFresh();
          await new Promise((resolve) => setTimeout(resolve, 1000));
        } else if (!(await service.quiet(10_000, db.url))) log(`${e.name}: tjänsten var inte stilla före mätningen`);
        const target: Target = { baseUrl: service.url, path: e.path(ctx), headers: headersFor(e) };
        const window = service.beginWindow();
        const mark = await cpuMark(db.embedded ? [] : await pgPids());
        const row: Row = { endpoint: e, note: null, levels: [], bytes: 0, startRssMb: window.startMb, peakRssMb: Number.NaN, otherCpus: Number.NaN };
        let levelWindow = service.beginWindow();
        let trouble = false;
        const timeoutMs = e.timeoutMs ?? TIMEOUT_MS;
        const warm = await get(agent, target, timeoutMs);
        row.bytes = warm.bytes;
        if (e.group === 'verify' && typeof warm.status === 'number') {
          const m = /"agreementsChecked":(\d+),"eventsChecked":(\d+),"intact":(true|false)/.exec(warm.head);
          verify = m ? `intact: ${m[3]}, ${f0(Number(m[1]))} chains, ${f0(Number(m[2]))} rows` : `status ${warm.status}: ${warm.head.slice(0, 120)}`;
        }
        if (warm.status === 'timeout') {
          row.note = `first request timed out (> ${f0(timeoutMs / 1000)} s); not measured further at this size or above`;
          service.endWindow(levelWindow);
          row.levels.push({ clients: 1, count: 1, p50: Number.POSITIVE_INFINITY, p99: Number.POSITIVE_INFINITY, errors: 1, statuses: 'timeout×1', firstError: 'timeout', peakRssMb: levelWindow.peakMb, timeoutMs });
          timedOutAt.set(e.name, size);
          trouble = true;
          log(`${String(size).padStart(6)} ${e.name.padEnd(46)} första anropet: timeout (> ${f0(timeoutMs / 1000)} s)`);
        } else {
          if (warm.status !== 200) row.note = `first request: ${warm.status} ${warm.head.replace(/\s+/g, ' ').slice(0, 100)}`;
          const heavy = warm.ms > HEAVY_MS;
          let oneClientP50 = warm.ms;
          for (const clients of LEVELS) {
            if (clients > 1 && oneClientP50 > HEAVY_MS) {
              row.levels.push({ clients, skipped: oneClientP50 === Number.POSITIVE_INFINITY ? 'not run: 1-client request timed out' : `not run: 1-client p50 ${ms(oneClientP50)} > ${f0(HEAVY_MS / 1000)} s` });
              continue;
            }
            if (clients !== LEVELS[0]) levelWindow = service.beginWindow();
            const r = await runLevel(agent, target, {
              clients,
              windowMs: heavy ? 0 : WINDOW_MS,
              minPerClient: heavy ? 1 : clients === 1 ? 5 : 1,
              maxRequests: 100_000,
              timeoutMs,
              expect: [200],
            });
            service.endWindow(levelWindow);
            const lr = { ...levelRow(r, timeoutMs), peakRssMb: levelWindow.peakMb };
            row.levels.push(lr);
            if (clients === LEVELS[0]) oneClientP50 = lr.p50;
            if (r.statuses.has('timeout') || [...r.statuses.keys()].some((s) => !/^\d+$/.test(s))) trouble = true;
            log(`${String(size).padStart(6)} ${e.name.padEnd(46)} ${String(clients).padStart(2)} kl.: p50 ${ms(lr.p50, timeoutMs).padStart(9)} p99 ${ms(lr.p99, timeoutMs).padStart(9)} n ${lr.count} ${lr.statuses}`);
            if (service.exited) break;
          }
        }
        if (e.group === 'calendar' && e.who === 'token: small partner signatory' && !service.exited) {
          const first = await get(agent, target, TIMEOUT_MS);
          const etag = first.headers.etag;
          const lastModified = first.headers['last-modified'];
          if (typeof etag === 'string' || typeof lastModified === 'string') {
            const conditional = await get(agent, { ...target, headers: { ...target.headers, ...(typeof etag === 'string' ? { 'if-none-match': etag } : { 'if-modified-since': String(lastModified) }) } }, TIMEOUT_MS);
            calendarConditional = `${typeof etag === 'string' ? `ETag ${etag}, If-None-Match` : `Last-Modified, If-Modified-Since`} → ${conditional.status} in ${ms(conditional.ms)}`;
          } else {
            calendarConditional = `no ETag or Last-Modified in the answer (${first.status}; Cache-Control: ${String(first.headers['cache-control'] ?? '–')}), so no conditional request can give 304`;
          }
        }
        service.endWindow(window);
        row.peakRssMb = window.peakMb;
        row.otherCpus = otherCpus(mark, await cpuMark(db.embedded ? [] : await pgPids()));
        rows.push(row);
        if (service.exited) {
          restarts.push(`${e.name}: the service exited (${JSON.stringify(service.exited)}; last RSS sample peak ${mb(service.peakMb())}) ${service.stderrTail().split('\n').slice(-3).join(' ')}`);
          log(`tjänsten avslutades under ${e.name}: ${JSON.stringify(service.exited)}`);
          await stopService();
          service = await startFresh();
        } else if (trouble && !(await service.quiet(DRAIN_MS, db.url))) {
          restarts.push(`${e.name}: still busy ${f0(DRAIN_MS / 1000)} s after its timeouts; restarted (peak RSS so far ${mb(service.peakMb())})`);
          log(`${e.name}: tjänsten arbetar fortfarande efter ${DRAIN_MS / 1000} s; startar om den`);
          await stopService();
          service = await startFresh();
        }
      }
      const readMs = performance.now() - r0;
      const sizeOther = otherCpus(sizeMark, await cpuMark(db.embedded ? [] : await pgPids()));
      const loadAfter = os.loadavg()[0];
      await stopService();

      // -- the weekly digest, built in this process (the seeding app, same database)
      const digest: DigestRun[] = [];
      const clock = app.get(ClockService);
      const now = new Date();
      if (now < digestDueAt(clock.today())) clock.freeze(new Date(digestDueAt(clock.today()).getTime() + 60_000));
      for (let i = 0; i < DIGEST_RUNS; i++) {
        await ds.query(`DELETE FROM outbox_message WHERE kind = 'weekly_digest'`);
        const histogram = monitorEventLoopDelay({ resolution: 5 });
        const rss0 = process.memoryUsage().rss;
        let rssPeak = rss0;
        const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
        histogram.enable();
        const t0 = performance.now();
        const written = await app.get(WeeklyDigestService).sendIfDue();
        const took = performance.now() - t0;
        histogram.disable();
        clearInterval(sampler);
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        if (!written) throw new Error('Veckobrevet skrevs inte');
        const [{ html }] = await ds.query<Array<{ html: number }>>(`SELECT coalesce(length(html_body), 0)::int AS html FROM outbox_message WHERE kind = 'weekly_digest'`);
        digest.push({ ms: took, loopMaxMs: histogram.max / 1e6, loopP99Ms: histogram.percentile(99) / 1e6, htmlKb: html / 1024, rssDeltaMb: (rssPeak - rss0) / 2 ** 20 });
        log(`${String(size).padStart(6)} veckobrev: ${ms(took)}, event-loop max ${ms(histogram.max / 1e6)}, html ${f0(html / 1024)} kB`);
      }
      clock.useSystemTime();

      results.push({
        size,
        counts: { agreements: counts.agreements, audit: counts.audit, timers: counts.timers, reminders: counts.reminders, dbSize: counts.size, byState },
        seedMs: grown.ms,
        rows,
        digest,
        peakRssMb: peakRss,
        idleRssMb,
        restarts,
        verify,
        calendarConditional,
        chainsChecked: chains.checked,
        otherCpus: sizeOther,
        loadAvg: [loadBefore, loadAfter],
        readMs,
      });
      log(`${f0(size)}: läsningarna tog ${f0(readMs / 1000)} s; tjänstens högsta RSS ${mb(peakRss)}; andra processer ${f2(sizeOther)} CPU`);
      await write(results, db, { templatesMs, buildMs, wallMs: performance.now() - wallStart, loadAtStart, fx });
    }
    agent.destroy();
  } finally {
    await service?.stop().catch(() => undefined);
    await watch.end().catch(() => undefined);
    if (started) await started.app.close().catch((error: unknown) => log(`app.close: ${String(error)}`));
    await (build ?? (await buildPromise?.catch(() => undefined)))?.remove().catch(() => undefined);
    // BENCH_READ_KEEP=on keeps the seeded database (a server's, not an embedded one) to look at its plans afterwards.
    if (process.env.BENCH_READ_KEEP === 'on' && !db.embedded) log(`databasen behålls: ${db.url}`);
    else await db.drop().catch((error: unknown) => log(`DROP DATABASE: ${String(error)}`));
    if (db.embedded) await db.embedded.stop();
    if (db.tempDir) await fs.rm(db.tempDir, { recursive: true, force: true });
    log(`klart på ${f0((performance.now() - wallStart) / 1000)} s`);
  }
}

// --- report ------------------------------------------------------------------------------------

async function machine(db: BenchDatabase): Promise<string[]> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    const setting = async (name: string): Promise<string> => ((await c.query(`SHOW ${name}`)).rows[0] as Record<string, string>)[name];
    let commit = 'unknown';
    try {
      const git = (args: string): string => execSync(`git ${args}`, { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
      const dirty = git('status --porcelain -- src workflows migrations');
      commit = `${git('rev-parse --short HEAD')}${dirty ? ' + uncommitted changes in src/, workflows/ or migrations/' : ''}`;
    } catch {
      // not a checkout
    }
    return [
      `- Machine: ${os.availableParallelism()} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}; Node ${process.version} (default heap limit ${f0(v8.getHeapStatistics().heap_size_limit / 2 ** 20)} MB, no flags)`,
      `- PostgreSQL ${await setting('server_version')} (${process.env.DATABASE_URL ? 'DATABASE_URL server, own fresh database' : 'embedded'}; fsync=${await setting('fsync')}, synchronous_commit=${await setting('synchronous_commit')}, shared_buffers=${await setting('shared_buffers')}, work_mem=${await setting('work_mem')})`,
      `- Commit: ${commit}`,
    ];
  } finally {
    await c.end();
  }
}

function command(): string {
  const vars = ['BENCH_READ_SIZES', 'BENCH_READ_SECONDS', 'BENCH_READ_CONCURRENCY', 'BENCH_READ_TIMEOUT_SECONDS', 'BENCH_READ_HEAVY_SECONDS', 'BENCH_READ_DRAIN_SECONDS', 'BENCH_READ_VERIFY_TIMEOUT_SECONDS', 'BENCH_READ_ONLY'];
  return [process.env.DATABASE_URL ? 'DATABASE_URL=…' : '', ...vars.filter((v) => process.env[v]).map((v) => `${v}=${process.env[v]}`), 'npm run bench:reads'].filter(Boolean).join(' ');
}

function levelCells(row: Row, clients: number): string[] {
  const l = row.levels.find((x) => x.clients === clients);
  if (!l) return ['–', '–', '–'];
  if (!isLevel(l)) return [l.skipped, '', ''];
  return [ms(l.p50, l.timeoutMs), ms(l.p99, l.timeoutMs), `${f0(l.count)}${l.errors > 0 ? ` (**${f0(l.errors)} failed**; ${l.statuses})` : ''}`];
}

function rssCell(row: Row): string {
  if (row.levels.length === 0) return '';
  const peaks = LEVELS.map((c) => {
    const l = row.levels.find((x) => x.clients === c);
    return l && isLevel(l) && Number.isFinite(l.peakRssMb) ? f0(l.peakRssMb) : '–';
  });
  return `${f0(row.startRssMb)} → ${peaks.join(' / ')}`;
}

function verdict(row: Row): string {
  const e = row.endpoint;
  if (e.target1 === undefined) return '';
  const one = row.levels.find((x) => x.clients === 1);
  const fifty = row.levels.find((x) => x.clients === 50);
  const parts: string[] = [];
  if (one && isLevel(one)) parts.push(one.p99 < e.target1 && one.errors === 0 ? '1: ✓' : '1: ✗');
  else parts.push('1: ✗');
  if (e.target50 !== undefined) {
    if (fifty && isLevel(fifty)) parts.push(fifty.p99 < e.target50 && fifty.errors === 0 ? '50: ✓' : '50: ✗');
    else if (LEVELS.includes(50)) parts.push('50: ✗');
  }
  return parts.join(' ');
}

/** The 1-client p50, only where every request of that level succeeded (a ratio of failures means nothing). */
function cleanP50(row: Row | undefined): number {
  const l = row?.levels.find((y) => y.clients === LEVELS[0]);
  return l && isLevel(l) && l.errors === 0 ? l.p50 : Number.NaN;
}

function sizeTable(r: SizeResult, previous: SizeResult | undefined): string[] {
  const head = [
    `| endpoint | as | ${LEVELS.map((c) => `${c} cl. p50 | ${c} cl. p99 | ${c} cl. requests`).join(' | ')} | body | RSS MB: start → peak at ${LEVELS.join(' / ')} cl. | target | vs ${previous ? f0(previous.size) : '–'} (1-cl. p50) | other CPU |`,
    `|---|---|${LEVELS.map(() => '---:|---:|---:|').join('')}---:|---:|---|---:|---:|`,
  ];
  const lines = r.rows.map((row) => {
    const prev = previous?.rows.find((p) => p.endpoint.name === row.endpoint.name);
    const growth = prev ? cleanP50(row) / cleanP50(prev) : Number.NaN;
    const cells = row.levels.length === 0 ? [row.note ?? '', ...Array(LEVELS.length * 3 - 1).fill('')] : LEVELS.flatMap((c) => levelCells(row, c));
    return `| ${row.endpoint.name}${row.note && row.levels.length > 0 ? ` (${row.note})` : ''} | ${row.endpoint.who} | ${cells.join(' | ')} | ${row.levels.length ? bytes(row.bytes) : ''} | ${rssCell(row)} | ${verdict(row)} | ${Number.isFinite(growth) ? `${f2(growth)}×` : '–'} | ${Number.isNaN(row.otherCpus) ? '–' : f2(row.otherCpus)} |`;
  });
  return [...head, ...lines];
}

function targetsSummary(results: SizeResult[], fx: ReadFixture): string[] {
  const last = results[results.length - 1];
  const tenK = results.find((r) => r.size === 10_000);
  const hundredK = results.find((r) => r.size === 100_000);
  const lists = last.rows.filter((r) => r.endpoint.group === 'list' || r.endpoint.group === 'page');
  const ok1 = lists.filter((r) => verdict(r).includes('1: ✓'));
  const ok50 = lists.filter((r) => verdict(r).includes('50: ✓'));
  const lines: string[] = [];
  const at = `at ${f0(last.size)}${last.size === 100_000 ? '' : ' (the largest size run; the target is at 100,000)'}`;
  lines.push(`- Lists and pages ${at}, p99 < ${LIST_1} ms at 1 client: **${ok1.length} of ${lists.length}** met${ok1.length < lists.length ? `; not met: ${lists.filter((r) => !ok1.includes(r)).map((r) => r.endpoint.name).join(', ')}` : ''}.`);
  if (LEVELS.includes(50)) lines.push(`- Lists and pages ${at}, p99 < 1 s at 50 clients with no error: **${ok50.length} of ${lists.length}** met.`);
  if (tenK && hundredK) {
    const grow = lists.map((r) => ({ name: r.endpoint.name, g: cleanP50(r) / cleanP50(tenK.rows.find((x) => x.endpoint.name === r.endpoint.name)) }));
    const measured = grow.filter((x) => Number.isFinite(x.g));
    const over = measured.filter((x) => x.g > 1.5);
    const none = grow.filter((x) => !Number.isFinite(x.g));
    lines.push(
      `- Growth 10,000 → 100,000 (1-client p50, where every request at both sizes succeeded) ≤ 1.5×: **${measured.length - over.length} of ${lists.length}** met${over.length ? `; over: ${over.map((x) => `${x.name} ${f2(x.g)}×`).join(', ')}` : ''}${none.length ? `; no ratio (a failure or timeout at one of the sizes, so not met): ${none.map((x) => x.name).join(', ')}` : ''}.`,
    );
  } else lines.push('- Growth 10,000 → 100,000: not measured in this run (needs both sizes).');
  const peak = Math.max(...results.map((r) => r.peakRssMb));
  lines.push(`- Node's peak RSS (the service process; sampled every 100 ms plus the kernel's VmHWM at each stop) through the whole read benchmark: **${mb(peak)}** (target < 400 MB: ${peak < 400 ? '**met**' : '**not met**'}); per size (fresh process each, idle after start → peak) ${results.map((r) => `${f0(r.size)}: ${mb(r.idleRssMb)} → ${mb(r.peakRssMb)}`).join(', ')}. Which requests drive it: column "RSS" in the tables below.`);
  const cal = last.rows.find((r) => r.endpoint.group === 'calendar' && r.endpoint.who === 'token: small partner signatory');
  const calOne = cal?.levels.find((l) => l.clients === 1);
  lines.push(
    `- \`/calendar.ics\` for a person in ${f0(fx.counts.activeSmall + fx.counts.renewedSmall)} agreements among ${f0(last.size)}: 1-client p99 ${calOne && isLevel(calOne) ? ms(calOne.p99) : '–'} (target < 200 ms: ${cal && verdict(cal).includes('1: ✓') ? '**met**' : '**not met**'}); conditional request: ${last.calendarConditional} (target 304: ${/→ 304/.test(last.calendarConditional) ? '**met**' : '**not met**'}).`,
  );
  for (const [name, target] of [
    ['GET /committee/reports/:year (JSON)', '< 1 s'],
    ['GET /committee/reports/:year.pdf', '< 5 s'],
  ] as const) {
    const row = last.rows.find((r) => r.endpoint.name === name);
    const one = row?.levels.find((l) => l.clients === 1);
    lines.push(
      `- Committee report ${name.endsWith('.pdf') ? 'PDF' : 'JSON'} for ${fx.reportYear} (${f0(fx.counts.expiredReportYear)} agreements in force that year, ${f0(last.size)} in all): 1-client p99 ${one && isLevel(one) ? ms(one.p99) : row?.note ?? '–'} (target ${target}: ${row && verdict(row).includes('1: ✓') ? '**met**' : '**not met**'}).`,
    );
  }
  const v = last.rows.find((r) => r.endpoint.group === 'verify');
  const vOne = v?.levels.find((l) => l.clients === 1);
  const rate = vOne && isLevel(vOne) && Number.isFinite(vOne.p50) ? last.counts.audit / (vOne.p50 / 1000) : Number.NaN;
  lines.push(
    `- \`/audit/verify\` at ${f0(last.counts.audit)} audit rows: p50 ${vOne && isLevel(vOne) ? ms(vOne.p50, vOne.timeoutMs) : v?.note ?? '–'} = ${Number.isFinite(rate) ? f0(rate) : '–'} rows/s (target ≥ 50,000: ${rate >= 50_000 ? '**met**' : '**not met**'}); RSS of a freshly started service ${mb(v?.startRssMb ?? Number.NaN)} → peak ${mb(vOne && isLevel(vOne) ? vOne.peakRssMb : Number.NaN)} at 1 client (target < 300 MB: ${vOne && isLevel(vOne) && vOne.peakRssMb < 300 ? '**met**' : '**not met**'}); its answer: ${last.verify ?? '–'}.`,
  );
  const d = last.digest;
  if (d.length) {
    const sorted = [...d].sort((a, b) => a.ms - b.ms);
    lines.push(
      `- Weekly digest at ${f0(last.size)}: build (\`WeeklyDigestService.sendIfDue\`, in process) ${ms(sorted[Math.floor(sorted.length / 2)].ms)} median of ${d.length}; event loop blocked up to ${ms(Math.max(...d.map((x) => x.loopMaxMs)))} (monitorEventLoopDelay max); HTML ${f0(d[0].htmlKb)} kB; RSS of the process up by ${mb(Math.max(...d.map((x) => x.rssDeltaMb)))} while building (no target number in the issue; reported as the "before").`,
    );
  }
  return lines;
}

async function write(results: SizeResult[], db: BenchDatabase, extra: { templatesMs: number; buildMs: number; wallMs: number; loadAtStart: number; fx: ReadFixture }): Promise<void> {
  const { fx } = extra;
  const last = results[results.length - 1];
  const lines: string[] = [
    HEADING,
    '',
    `Written by \`bench/reads.bench.ts\` (\`npm run bench:reads\`) on ${new Date().toISOString()} (issue 14); ${results.length < SIZES.length ? `**partial: ${results.length} of ${SIZES.length} sizes so far**; ` : ''}whole run ${f0(extra.wallMs / 1000)} s.`,
    '',
    ...(await machine(db)),
    `- Command: \`${command()}\``,
    `- Other load: 1-minute load average ${extra.loadAtStart.toFixed(2)} at start; per size during the reads ${results.map((r) => `${f0(r.size)}: ${r.loadAvg[0].toFixed(2)} → ${r.loadAvg[1].toFixed(2)}`).join(', ')}. Processes outside the benchmark (its own tree and ${process.env.DATABASE_URL ? "the server's backends for its database" : 'the embedded server'} excluded) used ${results.map((r) => `${f2(r.otherCpus)}`).join(' / ')} of ${os.availableParallelism()} CPUs during each size's reads (column "other CPU" per row)${results.some((r) => r.otherCpus > 0.25) ? ' — **the machine was not idle; rows with high values are noisy**' : ''}.`,
    `- Service: its own Node process, \`node -r tsconfig-paths/register dist/…/src/main.js\` built with tsc for this run (${f0(extra.buildMs / 1000)} s), LOG_LEVEL=error, no sweeps, sends or checkpoints (TIMER_SWEEP_INTERVAL_MS=0, OUTBOX_SEND_INTERVAL_MS=0, AUDIT_CHECKPOINT_INTERVAL_HOURS=0), TypeORM pool 10, TRUST_ACTOR_HEADER=on. A fresh process per size. **RSS is that process's alone** (\`/proc/<pid>/status\` VmRSS every 100 ms, and VmHWM): the load generator, the seeding app and the digest run in the benchmark's own process. Chromium for the PDF is a process of its own and not counted.`,
    `- Clients: closed loop over keep-alive HTTP from the benchmark's main thread; the body is counted and dropped. Per endpoint: one warm-up request, then ${WINDOW_MS / 1000} s at each of ${LEVELS.join(' and ')} client(s) (at least 5 requests at 1 client, 1 per client above). Timeout ${f0(TIMEOUT_MS / 1000)} s per request (/audit/verify: ${f0(VERIFY_TIMEOUT_MS / 1000)} s, on a freshly started service); a timeout counts as a failed request and as ${f0(TIMEOUT_MS / 1000)} s+ in the percentiles ("> ${f0(TIMEOUT_MS / 1000)} s"). An endpoint whose warm-up took over ${f0(HEAVY_MS / 1000)} s gets one more request only, and no run above 1 client while its 1-client p50 is over ${f0(HEAVY_MS / 1000)} s; one whose warm-up timed out is not run again at that size or any larger one. After a timeout the service gets ${f0(DRAIN_MS / 1000)} s to finish the abandoned work (no active statement, < 5 % CPU) before it is restarted.`,
    `- Who asks: the JSON API with \`x-person-id\`, the pages with a session cookie (sessions created through SessionsService), the calendar with its token. Secretariat = Nämndsekreterare Nina (role secretariat, in the municipality: sees every agreement); administrator; auditor (role auditor); the small partner's signatory (one civil-society organisation that is a party in exactly ${f0(fx.counts.activeSmall + fx.counts.renewedSmall)} agreements, half active, half renewed).`,
    `- Data: eight templates created through the API and driven by \`TimerSweeperService.sweep()\` on a frozen clock, each timer fired at its own instant (so the histories have real dates), ${f2(extra.templatesMs / 1000)} s: draft; signing; active (started 11 months ago); renewed (all parties consented in the decision window; the new period starts in two months); expired (no decision, deadline passed, end passed); the same expired path in ${fx.reportYear - 1}–${fx.reportYear} for the report year; and active/renewed with the small partner. Each is copied with SQL only (INSERT … SELECT over generate_series, 10,000 copies per transaction): case_record, agreement (numbered title; its id replaced in the snapshot), parties, cost lines, members, reminders, timers (fired and unfired, as the template has them), audit rows with each copy's sha256 chain computed by PostgreSQL over the same canonical JSON as src/audit/audit-chain.ts, and the chain head. Every size: templates' and 300 random copies' chains recomputed in JS (\`verifyChains\`) — all intact. Mix per size: ${SIZES.map((s) => `${f0(s)}: ${Object.entries(planFor(s)).map(([k, n]) => `${k} ${f0(n)}`).join(', ')}`).join('; ')}.`,
    '',
    '| size | agreements by state | audit rows | timers | reminders | database | seeding (copies + VACUUM ANALYZE) | reads took | service restarts |',
    '|-----:|---|---:|---:|---:|---:|---:|---:|---|',
    ...results.map(
      (r) =>
        `| ${f0(r.size)} | ${r.counts.byState} | ${f0(r.counts.audit)} | ${f0(r.counts.timers)} | ${f0(r.counts.reminders)} | ${r.counts.dbSize} | ${f0(r.seedMs / 1000)} s | ${f0(r.readMs / 1000)} s | ${r.restarts.length === 0 ? 'none' : r.restarts.join('; ')} |`,
    ),
    '',
    '### Against the targets',
    '',
    ...targetsSummary(results, fx),
    '',
  ];
  results.forEach((r, i) => {
    lines.push(`### ${f0(r.size)} agreements`, '', ...sizeTable(r, results[i - 1]), '');
    lines.push(
      `- /audit/verify's answer: ${r.verify ?? '–'}. Calendar conditional request: ${r.calendarConditional}.`,
      `- Weekly digest (in process, ${r.digest.length} builds): ${r.digest.map((d) => `${ms(d.ms)} (event loop max ${ms(d.loopMaxMs)}, p99 ${ms(d.loopP99Ms)})`).join('; ')}; HTML ${r.digest[0] ? f0(r.digest[0].htmlKb) : '–'} kB.`,
      '',
    );
  });
  const failures = last.rows.flatMap((row) => row.levels.filter(isLevel).filter((l) => l.firstError).map((l) => `${row.endpoint.name} at ${l.clients}: ${l.firstError}`));
  if (failures.length) lines.push('First failure per row at the largest size:', '', ...failures.map((f) => `- ${f}`), '');
  const section = lines.join('\n');
  process.stdout.write(`\n${section}\n`);
  if (RESULTS_FILE === '-') return;
  if (!existsSync(RESULTS_FILE)) await fs.writeFile(RESULTS_FILE, '# Read benchmark\n');
  await writeResultsSection(RESULTS_FILE, HEADING, section);
  log(`skrev ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`[bench:reads] misslyckades: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
