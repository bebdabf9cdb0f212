/**
 * Database restart benchmark (issue 11, not a jest test): `npm run bench:outbox-restart`.
 *
 * Its own embedded PostgreSQL (durable: fsync and synchronous_commit on, as in production; owner and
 * service roles as in production), the service in process (createApp; DATABASE_URL = the service role,
 * MIGRATION_DATABASE_URL = the owner) sending over real SMTP to an smtp-server sink in a worker thread.
 * Two scenarios, each with its own N messages (default 6,000) written to the outbox in one transaction:
 *   restarts  while they are sent: `pg_ctl stop -m fast` + start at once once a quarter has arrived,
 *             then `pg_ctl stop -m immediate` + start at once at 60 %
 *   outage    `pg_ctl stop -m fast` once a third has arrived, 8 s without a database, start
 * Then waits until every row has left 'pending'/'sending', counts at the sink the copies beyond one
 * per Message-ID, checks every Message-ID arrived, and reads the rows' final states and attempts.
 * Writes the section "## Database restart duplicates" of bench/RESULTS.md (the rest is kept).
 *
 * Environment: BENCH_RESTART_MESSAGES (6000), BENCH_RESTART_OUTAGE_MS (8000), BENCH_RESULTS
 * (bench/RESULTS.md; "-" to not write).
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp, type StartedApp } from '@app/bootstrap';
import { startEmbeddedPostgres, type EmbeddedPostgres, stopEmbeddedServer } from '@app/database/embedded-postgres';
import { JsonLogger } from '@app/logging/json-logger';
import { inFlightBound, DEFAULT_LANES, BATCH_PER_CONNECTION } from '@app/notifications/outbox-sender.service';
import { enqueueMessage, messageIdFor } from '@app/notifications/outbox.repository';
import { benchLog, f0, f2, writeResultsSection } from './report';

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} ska vara ett positivt heltal, fick ${raw}`);
  return value;
};

const MESSAGES = num('BENCH_RESTART_MESSAGES', 6000);
const OUTAGE_MS = num('BENCH_RESTART_OUTAGE_MS', 8000);
const POOL = 5;
const SEND_INTERVAL_MS = 50;
const SEND_TIMEOUT_MS = 2000;
const DOMAIN = 'example.se';
const DATABASE = 'iop_restart_bench';
const ROLES = { owner: 'iop_owner', app: 'iop_app' };
const RESULTS_FILE = process.env.BENCH_RESULTS ?? path.join(__dirname, 'RESULTS.md');
const HEADING = '## Database restart duplicates';

const log = benchLog('bench:outbox-restart');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// --- SMTP sink in a worker thread, counting copies per Message-ID --------------------------------

const SINK_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { SMTPServer } = require(workerData.smtpServer);
const perId = new Map();
let messages = 0;
const server = new SMTPServer({
  authOptional: true, disabledCommands: ['STARTTLS'], logger: false, closeTimeout: 100, maxClients: 1000,
  onData(stream, session, callback) {
    let head = '';
    stream.on('data', (chunk) => { if (head.length < 4096) head += chunk.toString('latin1'); });
    stream.on('end', () => {
      const id = /^Message-ID:\\s*(\\S+)/im.exec(head);
      const key = id ? id[1] : '';
      perId.set(key, (perId.get(key) || 0) + 1);
      messages++;
      callback();
    });
  },
});
server.server.prependListener('connection', (socket) => socket.setNoDelay(true));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'count') parentPort.postMessage({ type: 'count', messages });
  if (m === 'ids') parentPort.postMessage({ type: 'ids', ids: [...perId] });
  if (m === 'close') server.close(() => parentPort.postMessage({ type: 'closed' }));
});
`;

interface Sink {
  port: number;
  count(): Promise<number>;
  ids(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const worker = new Worker(SINK_SOURCE, { eval: true, workerData: { smtpServer: require.resolve('smtp-server') } });
  const ask = <T>(request: string, type: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: { type: string }): void => {
        if (m.type !== type) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(m as T);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      if (request) worker.postMessage(request);
    });
  const { port } = await ask<{ port: number }>('', 'listening');
  return {
    port,
    count: async () => (await ask<{ messages: number }>('count', 'count')).messages,
    ids: async () => new Map((await ask<{ ids: Array<[string, number]> }>('ids', 'ids')).ids),
    async close() {
      await ask('close', 'closed');
      await worker.terminate();
    },
  };
}

// --- PostgreSQL ----------------------------------------------------------------------------------


// --- one scenario ---------------------------------------------------------------------------------

interface Outcome {
  name: string;
  events: string[];
  received: number;
  distinct: number;
  missing: number;
  duplicates: number;
  maxCopies: number;
  states: Record<string, number>;
  attempts: Record<string, number>;
  leftLeases: number;
  /** Sum over the rows of attempts − 1: sends the rows themselves account for beyond the first. */
  extraAttempts: number;
  seconds: number;
}

interface Context {
  root: string;
  pg: EmbeddedPostgres;
  sink: Sink;
  dataSource: DataSource;
}

async function query<T>(ctx: Context, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: ctx.pg.url, application_name: 'outbox-restart-bench' });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

async function restartPg(ctx: Context): Promise<string> {
  const old = ctx.pg.pid;
  ctx.pg = await startEmbeddedPostgres({ databaseDir: path.join(ctx.root, 'data'), port: ctx.pg.port, database: DATABASE, stopOnSignals: false, roles: ROLES });
  if (ctx.pg.pid === old) throw new Error(`PostgreSQL startades inte om (samma postmaster ${old})`);
  return `postmaster ${old} → ${ctx.pg.pid}`;
}

async function runScenario(ctx: Context, name: string, disrupt: (received: () => Promise<number>, events: string[]) => Promise<void>): Promise<Outcome> {
  const prefix = `restart-bench:${name}:`;
  const before = await ctx.sink.count();
  const ids = Array.from({ length: MESSAGES }, (_, i) => messageIdFor(`${prefix}${i}`, DOMAIN));
  // All N become visible at one COMMIT; the sender (polling every SEND_INTERVAL_MS) starts at once.
  await ctx.dataSource.transaction(async (manager) => {
    const now = new Date(Date.now() - 60_000);
    for (let i = 0; i < MESSAGES; i += 1) {
      await enqueueMessage(
        manager,
        { idempotencyKey: `${prefix}${i}`, case: null, kind: 'decision_upcoming', recipient: `mottagare${i % 500}@example.se`, subject: `Påminnelse ${i}`, text: `Hej ${i}!`, html: `<p>Hej ${i}!</p>` },
        now,
        DOMAIN,
      );
    }
  });
  const t0 = performance.now();
  const events: string[] = [];
  const received = async (): Promise<number> => (await ctx.sink.count()) - before;
  await disrupt(received, events);

  // The sender recovers by itself: wait until no row is pending or sending.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const rows = await query<{ open: number }>(ctx, `SELECT count(*)::int AS open FROM outbox_message WHERE idempotency_key LIKE $1 AND state IN ('pending', 'sending')`, [`${prefix}%`]).catch(() => [{ open: -1 }]);
    if (rows[0].open === 0) break;
    if (Date.now() > deadline) throw new Error(`${name}: ${rows[0].open} rader fortfarande pending/sending efter 90 s`);
    await sleep(100);
  }
  const seconds = (performance.now() - t0) / 1000;
  await sleep(300); // the last replies' DATA still being read by the sink

  const perId = await ctx.sink.ids();
  let receivedMine = 0;
  let distinct = 0;
  let maxCopies = 0;
  for (const id of ids) {
    const n = perId.get(id) ?? 0;
    receivedMine += n;
    if (n > 0) distinct += 1;
    maxCopies = Math.max(maxCopies, n);
  }
  const states = Object.fromEntries(
    (await query<{ state: string; n: number }>(ctx, `SELECT state, count(*)::int AS n FROM outbox_message WHERE idempotency_key LIKE $1 GROUP BY 1 ORDER BY 1`, [`${prefix}%`])).map((r) => [r.state, r.n]),
  );
  const attempts = Object.fromEntries(
    (await query<{ attempts: number; n: number }>(ctx, `SELECT attempts, count(*)::int AS n FROM outbox_message WHERE idempotency_key LIKE $1 GROUP BY 1 ORDER BY 1`, [`${prefix}%`])).map((r) => [String(r.attempts), r.n]),
  );
  const [{ n: leftLeases }] = await query<{ n: number }>(ctx, `SELECT count(*)::int AS n FROM outbox_message WHERE idempotency_key LIKE $1 AND (lease_until IS NOT NULL OR claim_token IS NOT NULL)`, [`${prefix}%`]);
  const extraAttempts = Object.entries(attempts).reduce((sum, [a, n]) => sum + (Number(a) - 1) * n, 0);
  const outcome: Outcome = { name, events, received: receivedMine, distinct, missing: MESSAGES - distinct, duplicates: receivedMine - distinct, maxCopies, states, attempts, leftLeases, extraAttempts, seconds };
  log(`${name}: ${JSON.stringify(outcome)}`);
  return outcome;
}

async function waitForReceived(received: () => Promise<number>, atLeast: number): Promise<number> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const n = await received();
    if (n >= atLeast) return n;
    if (Date.now() > deadline) throw new Error(`väntade förgäves på ${atLeast} meddelanden vid sänkan (${n})`);
    await sleep(10);
  }
}

async function openRows(ctx: Context): Promise<string> {
  const rows = await query<{ state: string; n: number }>(ctx, `SELECT state, count(*)::int AS n FROM outbox_message WHERE state IN ('pending', 'sending') GROUP BY 1 ORDER BY 1`).catch(() => []);
  return rows.map((r) => `${r.n} ${r.state}`).join(', ') || 'none open';
}

// --- main ---------------------------------------------------------------------------------------

function commitLabel(): string {
  try {
    const head = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execSync('git status --porcelain src migrations', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
    return dirty ? `${head} + uncommitted changes in src/ or migrations/` : head;
  } catch {
    return 'unknown';
  }
}

const fmt = (r: Record<string, number>): string =>
  Object.entries(r)
    .map(([k, v]) => `${k}: ${f0(v)}`)
    .join(', ');

async function main(): Promise<void> {
  const wallStart = performance.now();
  const loadAtStart = os.loadavg()[0];
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'iop-bench-restart-'));
  // mkdtemp gives 0700; when run as root, the OS user postgres must reach the data directory.
  await fs.chmod(root, 0o755);
  let started: StartedApp | undefined;
  let ctx: Context | undefined;
  let firstPg: EmbeddedPostgres | undefined;
  const sink = await startSink();
  try {
    log(`startar inbäddad PostgreSQL i ${root} (beständig: fsync och synchronous_commit på)`);
    const pg = await startEmbeddedPostgres({ databaseDir: path.join(root, 'data'), database: DATABASE, stopOnSignals: false, roles: ROLES });
    firstPg = pg;
    started = await createApp({
      env: {
        DATABASE_URL: pg.appUrl as string,
        MIGRATION_DATABASE_URL: pg.ownerUrl as string,
        AUDIT_CHECKPOINT_INTERVAL_HOURS: '0',
        RETENTION_INTERVAL_MS: '0',
        LOG_LEVEL: 'error',
        TIMER_SWEEP_INTERVAL_MS: '0',
        DEMO_DATA: 'off',
        SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
        SMTP_MAX_CONNECTIONS: String(POOL),
        OUTBOX_SEND_INTERVAL_MS: String(SEND_INTERVAL_MS),
        OUTBOX_SEND_TIMEOUT_MS: String(SEND_TIMEOUT_MS),
        MAIL_FROM: `IOP-motorn <noreply@${DOMAIN}>`,
      },
      port: 0,
      logger: new JsonLogger('error', () => undefined),
    });
    const c: Context = { root, pg, sink, dataSource: started.app.get(DataSource) };
    ctx = c;

    const restarts = await runScenario(c, 'restarts', async (received, events) => {
      const first = await waitForReceived(received, Math.round(MESSAGES / 4));
      const rows1 = await openRows(c);
      await stopEmbeddedServer(c.pg.databaseDir, 'fast');
      const pids1 = await restartPg(c);
      events.push(`\`-m fast\` at ${f0(first)} received (rows then: ${rows1}; ${pids1})`);
      log(events[events.length - 1]);
      const second = await waitForReceived(received, Math.round(MESSAGES * 0.6));
      const rows2 = await openRows(c);
      await stopEmbeddedServer(c.pg.databaseDir, 'immediate');
      const pids2 = await restartPg(c);
      events.push(`\`-m immediate\` at ${f0(second)} received (rows then: ${rows2}; ${pids2})`);
      log(events[events.length - 1]);
    });

    const outage = await runScenario(c, 'outage', async (received, events) => {
      const at = await waitForReceived(received, Math.round(MESSAGES / 3));
      const rows = await openRows(c);
      await stopEmbeddedServer(c.pg.databaseDir, 'fast');
      const down = performance.now();
      await sleep(OUTAGE_MS);
      const pids = await restartPg(c);
      events.push(`\`-m fast\` at ${f0(at)} received (rows then: ${rows}; ${pids}), down ${f2((performance.now() - down) / 1000)} s until the new server answered`);
      log(events[events.length - 1]);
    });

    const loadAtEnd = os.loadavg()[0];
    const bound = inFlightBound(POOL);
    const row = (o: Outcome): string =>
      `| after: ${o.name === 'restarts' ? 'fast restart, then immediate restart' : `${f0(OUTAGE_MS / 1000)}-second outage (stop, wait, start)`} (commit ${commitLabel()}) | ${f0(o.duplicates)} | ${f0(o.distinct)} of ${f0(MESSAGES)} | ${fmt(o.states)} | ${fmt(o.attempts)} |`;
    const section = [
      HEADING,
      '',
      `Written by \`bench/outbox-restart.bench.ts\` (\`npm run bench:outbox-restart\`) on ${new Date().toISOString()} (issue 11); Node ${process.version}, ${os.availableParallelism()} CPU(s).`,
      `Embedded PostgreSQL, durable (fsync and synchronous_commit on), the service as its own role (\`iop_app\`; migrations as \`iop_owner\`). The service runs in process (createApp) with \`SMTP_MAX_CONNECTIONS=${POOL}\`, \`OUTBOX_SEND_INTERVAL_MS=${SEND_INTERVAL_MS}\`, \`OUTBOX_SEND_TIMEOUT_MS=${SEND_TIMEOUT_MS}\` (so leases of ${f0((2 * SEND_TIMEOUT_MS) / 1000)} s), ${DEFAULT_LANES} lanes × ${BATCH_PER_CONNECTION} row per connection, and sends over real SMTP to an smtp-server sink in a worker thread. Each scenario writes its own ${f0(MESSAGES)} messages (text and HTML) in one transaction; PostgreSQL is stopped with \`pg_ctl stop -m …\` and started again on the same port while they are sent. Duplicates = copies at the sink beyond one per Message-ID.`,
      '',
      '| code / scenario | duplicates | Message-IDs arrived | final row states | rows by `attempts` |',
      '|-----------------|-----------:|--------------------:|------------------|--------------------|',
      `| before: \`pg_ctl restart -m fast\`, then \`-m immediate\` (figure from issue 11) | 800 | 6,000 of 6,000 | sent: 6,000 | 1: 6,000 |`,
      `| before: 8-second outage (figure from issue 11) | 600 | — | — | — |`,
      row(restarts),
      row(outage),
      '',
      `- Restarts: ${restarts.events.join('; ')}. All rows settled ${f2(restarts.seconds)} s after the messages were written; most copies of one message at the sink: ${restarts.maxCopies}; rows left with a lease or claim token: ${restarts.leftLeases}.`,
      `- Outage: ${outage.events.join('; ')}. All rows settled ${f2(outage.seconds)} s after the messages were written; most copies of one message: ${outage.maxCopies}; rows left with a lease or claim token: ${outage.leftLeases}.`,
      `- Bound: at most \`inFlightBound\` = ${DEFAULT_LANES} × ${BATCH_PER_CONNECTION} × ${POOL} = **${bound}** rows are claimed at once, so a restart can resend at most ${bound} per interruption: ${restarts.duplicates <= 2 * bound && outage.duplicates <= bound ? '**held**' : '**not held**'} (restarts ${f0(restarts.duplicates)} ≤ 2 × ${bound}, outage ${f0(outage.duplicates)} ≤ ${bound}).`,
      `- The rows account for the copies: ${[restarts, outage].map((o) => `${o.name} ${f0(o.duplicates)} duplicate(s) against ${f0(o.extraAttempts)} attempt(s) beyond the first`).join(', ')}${restarts.duplicates === restarts.extraAttempts && outage.duplicates === outage.extraAttempts ? ' — every copy is a row claimed again after its lease ran out (its outcome could not be written during the outage, within the outcome retries of ~4 s), and that row says so' : ''}. Before, all 6,000 rows said \`sent\` with \`attempts = 1\` although 800 copies too many had arrived.`,
      `- Other load: 1-minute load average (\`uptime\`) ${f2(loadAtStart)} at start, ${f2(loadAtEnd)} at the end, on ${os.availableParallelism()} CPU(s) shared by PostgreSQL, the sink and the sender${loadAtEnd > 1 || loadAtStart > 1 ? ' — the machine was busy' : ''}. Whole run ${f0((performance.now() - wallStart) / 1000)} s.`,
      '',
    ].join('\n');
    process.stdout.write(`\n${section}\n`);
    const problems = [restarts, outage].filter((o) => o.missing > 0 || (o.states.sent ?? 0) !== MESSAGES);
    if (await writeResultsSection(RESULTS_FILE, HEADING, section)) log(`skrev ${path.relative(process.cwd(), RESULTS_FILE)}`);
    if (problems.length > 0) throw new Error(`meddelanden saknas eller rader inte skickade: ${problems.map((o) => `${o.name}: ${o.missing} saknas, ${fmt(o.states)}`).join('; ')}`);
  } finally {
    if (started) await started.app.close().catch((error: unknown) => log(`app.close: ${String(error)}`));
    await sink.close().catch((error: unknown) => log(`sink.close: ${String(error)}`));
    await (ctx?.pg ?? firstPg)?.stop().catch((error: unknown) => log(`pg.stop: ${String(error)}`));
    await fs.rm(root, { recursive: true, force: true });
    log(`klart på ${f2((performance.now() - wallStart) / 1000)} s`);
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`[bench:outbox-restart] misslyckades: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
