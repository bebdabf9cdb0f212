/**
 * Engine throughput benchmark (not a jest test): `npm run bench`.
 *
 * One steady, repeatable workload: SEND_FOR_SIGNING ↔ RETURN_TO_DRAFT on 10,000 agreements, measured
 * three ways at 1, 4 and 16 concurrent clients:
 *   raw     the engine's SQL issued directly through `pg` (the ceiling: no Nest, no TypeORM, no XState)
 *   engine  WorkflowEngineService.apply() in process
 *   http    POST /agreements/:id/events over keep-alive HTTP (client in a worker thread)
 *
 * Environment: DATABASE_URL (else an embedded PostgreSQL in a temp dir), BENCH_SECONDS (5, measured
 * per path and level), BENCH_ROUNDS (5: the paths take turns in that many rounds per level, so other
 * load on the machine hits them alike), BENCH_WARMUP_SECONDS (1, before the first round),
 * BENCH_AGREEMENTS (10000), BENCH_CONCURRENCY (1,4,16), BENCH_PATHS (raw,engine,http),
 * BENCH_RAW_PREPARED=1 (named prepared statements on the raw path), BENCH_PG_DURABLE=1 (embedded
 * server with fsync/synchronous_commit on), BENCH_RESULTS (bench/RESULTS.md; "-" to not write).
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Client, Pool, type PoolClient, type QueryConfig } from 'pg';
import type { StartedApp } from '@app/bootstrap';
import { AgreementsService } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import { GENESIS_HASH, hashOf, type ChainedFields } from '@app/audit/audit-chain';
import type { AuditEvent } from '@app/audit/audit-event.entity';
import { AuditService, chainedFieldsOf as auditChainedFieldsOf } from '@app/audit/audit.service';
import { ActorResolver } from '@app/auth/actor.resolver';
import { ClockService } from '@app/clock/clock.service';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@app/database/embedded-postgres';
import { WorkflowEngineService } from '@app/workflow-engine/workflow-engine.service';
import { bromodellenBody, createBromodellenParties } from '@test/support/factories';
import { clientsOf } from '@test/support/test-app';
import type { HttpRunReply, HttpRunRequest } from './http-load.worker';
import { drive, slicesFor, type DriveResult } from './load';
import { benchLog, f0, f2 } from './report';
import { startQuietApp } from './app';

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} ska vara ett tal, fick ${raw}`);
  return value;
};

const SECONDS = num('BENCH_SECONDS', 5);
const WARMUP_SECONDS = num('BENCH_WARMUP_SECONDS', 1);
const AGREEMENTS = Math.max(1, Math.floor(num('BENCH_AGREEMENTS', 10_000)));
/** The measured seconds of each path are split into this many interleaved rounds per level. */
const ROUNDS = Math.max(1, Math.floor(num('BENCH_ROUNDS', 5)));
/** Warm-up before every round after the first (connections are already open). */
const REWARM_MS = 200;
const LEVELS = (process.env.BENCH_CONCURRENCY ?? '1,4,16').split(',').map((s) => Number.parseInt(s, 10)).filter((n) => n > 0);
const RAW_PREPARED = process.env.BENCH_RAW_PREPARED === '1';
const PG_DURABLE = process.env.BENCH_PG_DURABLE === '1';
const RESULTS_FILE = process.env.BENCH_RESULTS ?? path.join(__dirname, 'RESULTS.md');
const RAW_POOL_SIZE = 16;
const RETURN_REASON = 'Prestandamätning: tillbaka till utkast';
const ALL_PATHS = ['raw', 'engine', 'http'] as const;
type BenchPath = (typeof ALL_PATHS)[number];
/** BENCH_PATHS=engine (say) runs one path only, e.g. under --cpu-prof; ratios then need raw too. */
const PATHS = ALL_PATHS.filter((p) => (process.env.BENCH_PATHS ?? 'raw,engine,http').split(',').includes(p));
const KEEP_MARKER = '<!-- Notes below this line are kept when the benchmark rewrites the file. -->';

const log = benchLog('bench');

// --- database ----------------------------------------------------------------------------------

export interface BenchDatabase {
  url: string;
  name: string;
  embedded?: EmbeddedPostgres;
  tempDir?: string;
  drop(): Promise<void>;
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function openDatabase(): Promise<BenchDatabase> {
  let serverUrl = process.env.DATABASE_URL;
  let embedded: EmbeddedPostgres | undefined;
  let tempDir: string | undefined;
  if (!serverUrl) {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'iop-bench-pg-'));
    // Run as root, the package starts postgres as the OS user postgres, which must reach the directory.
    await fs.chmod(tempDir, 0o755);
    log(`startar inbäddad PostgreSQL i ${tempDir}${PG_DURABLE ? '' : ' (fast: fsync/synchronous_commit av, som testerna)'}`);
    try {
      embedded = await startEmbeddedPostgres({ databaseDir: path.join(tempDir, 'data'), fast: !PG_DURABLE });
    } catch (error) {
      await fs.rm(tempDir, { recursive: true, force: true });
      throw error;
    }
    serverUrl = embedded.url;
  }
  const name = `iop_bench_${randomBytes(6).toString('hex')}`;
  try {
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  } catch (error) {
    await embedded?.stop();
    if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
    throw error;
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const admin = serverUrl;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    embedded,
    tempDir,
    async drop() {
      if (dropped) return;
      dropped = true;
      await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

// --- seeding -----------------------------------------------------------------------------------

/** The audit service's own mapping, re-pointed at a copied agreement and its chain. */
function chainedFieldsOf(row: AuditEvent, agreementId: string, prevHash: string): ChainedFields {
  return { ...auditChainedFieldsOf(row), agreementId, prevHash };
}

async function columnsOf(db: Client, table: string): Promise<string[]> {
  const { rows } = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  if (rows.length === 0) throw new Error(`Tabellen ${table} saknas`);
  return rows.map((r) => r.column_name);
}

/**
 * Copies the template agreement (in draft, created and accepted through the service and engine)
 * `ids.length` times in bulk: the agreement row with its own id in the snapshot context, its
 * parties, cost lines, members and timers, and its audit rows with the hash chain recomputed.
 */
async function cloneAgreement(dbUrl: string, templateId: string, history: AuditEvent[], ids: string[]): Promise<void> {
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const agreementCols = await columnsOf(db, 'agreement');
    const agreementSql = `INSERT INTO agreement (${agreementCols.map((c) => `"${c}"`).join(', ')})
      SELECT ${agreementCols
        .map((c) =>
          c === 'id'
            ? 'n.id'
            : c === 'context'
              ? `jsonb_set(a.context, '{agreementId}', to_jsonb(n.id::text))`
              : c === 'created_at' || c === 'updated_at'
                ? 'now()'
                : `a."${c}"`,
        )
        .join(', ')}
      FROM agreement a CROSS JOIN unnest($2::uuid[]) AS n(id) WHERE a.id = $1`;
    const childSql: string[] = [];
    for (const table of ['agreement_party', 'agreement_cost_line', 'agreement_member', 'case_timer']) {
      const cols = (await columnsOf(db, table)).filter((c) => c !== 'id');
      childSql.push(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')})
        SELECT ${cols.map((c) => (c === 'agreement_id' ? 'n.id' : `t."${c}"`)).join(', ')}
        FROM ${table} t CROSS JOIN unnest($2::uuid[]) AS n(id) WHERE t.agreement_id = $1`);
    }
    const auditCols = (await columnsOf(db, 'audit_event')).filter((c) => c !== 'id');
    const fromNew: Record<string, string> = { agreement_id: 'n.id', prev_hash: 'n.prev_hash', hash: 'n.hash' };
    const auditSql = `INSERT INTO audit_event (${auditCols.map((c) => `"${c}"`).join(', ')})
      SELECT ${auditCols.map((c) => fromNew[c] ?? `e."${c}"`).join(', ')}
      FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[]) AS n(id, seq, prev_hash, hash)
      JOIN audit_event e ON e.case_id = $1 AND e.seq = n.seq
      ORDER BY n.id, n.seq`;

    const BATCH = 2000;
    await db.query('BEGIN');
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      await db.query(agreementSql, [templateId, batch]);
      for (const sql of childSql) await db.query(sql, [templateId, batch]);
      const aid: string[] = [];
      const seq: number[] = [];
      const prev: string[] = [];
      const hash: string[] = [];
      for (const id of batch) {
        let prevHash = GENESIS_HASH;
        for (const row of history) {
          const h = hashOf(chainedFieldsOf(row, id, prevHash));
          aid.push(id);
          seq.push(row.seq);
          prev.push(prevHash);
          hash.push(h);
          prevHash = h;
        }
      }
      await db.query(auditSql, [templateId, aid, seq, prev, hash]);
    }
    await db.query('COMMIT');
    await db.query('VACUUM ANALYZE');
  } finally {
    await db.end();
  }
}

export interface Fixture {
  ids: string[];
  actor: Actor;
  personId: string;
  organisationId: string;
  seedMs: number;
}

export async function seed(started: StartedApp, dbUrl: string, count = AGREEMENTS): Promise<Fixture> {
  const t0 = performance.now();
  const { app } = started;
  // Organisations and people through the API, as test/support/factories.ts does. The workload's one
  // person both sends for signing and returns to draft, so they are kommunen's secretariat and signatory.
  const clients = await clientsOf(started);
  const parties = await createBromodellenParties(clients);
  await clients.admin().put(`/accounts/${parties.secretariat.id}/roles`).send({ roles: ['secretariat', 'signatory'] }).expect(200);
  const actor = await app.get(ActorResolver).actorOf(parties.secretariat.id);
  const proposer = await app.get(ActorResolver).actorOf(parties.bildaSignatory.id);
  if (!actor || !proposer) throw new Error('Sekreteraren eller förslagsställaren finns inte');
  // The template through the service and the engine, then copied in bulk (see cloneAgreement).
  const created = await app.get(AgreementsService).create(bromodellenBody(parties), proposer);
  await app.get(WorkflowEngineService).apply({ type: 'agreement', id: created.id }, { type: 'ACCEPT_INITIATIVE' }, actor);
  const history = await app.get(AuditService).history(created.id);
  if (history.length !== 2 || history[1].toState !== 'draft') throw new Error('Mallen kom inte till utkast');
  history.forEach((row, i) => {
    const expected = hashOf(chainedFieldsOf(row, created.id, i === 0 ? GENESIS_HASH : history[i - 1].hash));
    if (expected !== row.hash) throw new Error('chainedFieldsOf i benchmarken stämmer inte längre med AuditService');
    if (JSON.stringify(row.payload).includes(created.id)) throw new Error('Mallens granskningsrader nämner dess id; kopiorna skulle bli fel');
  });
  const ids = [created.id, ...Array.from({ length: count - 1 }, () => randomUUID())];
  await cloneAgreement(dbUrl, created.id, history, ids.slice(1));
  return { ids, actor, personId: parties.secretariat.id, organisationId: parties.kommun.id, seedMs: performance.now() - t0 };
}

// --- the three paths ---------------------------------------------------------------------------

export function rawPath(pool: Pool, clock: ClockService, fx: Fixture, states: Uint8Array) {
  const q = (name: string, text: string, values: unknown[]): QueryConfig => (RAW_PREPARED ? { name, text, values } : { text, values });
  const { actor } = fx;
  return async (index: number): Promise<void> => {
    const id = fx.ids[index];
    const signing = states[index] === 1;
    const client: PoolClient = await pool.connect();
    try {
      await client.query('BEGIN');
      const locked = await client.query(q('lock', 'SELECT * FROM agreement WHERE id = $1 FOR UPDATE', [id]));
      const row = locked.rows[0] as { state: string; context: Record<string, unknown> & { signingRound: number } } | undefined;
      if (!row || row.state !== (signing ? 'signing' : 'draft')) throw new Error(`raw: ${id} är i ${row?.state}, väntade ${signing ? 'signing' : 'draft'}`);
      const today = clock.today();
      const to = signing ? 'draft' : 'signing';
      const context = signing
        ? { ...row.context, signatures: [], signingSince: null, lastReturn: { organisationId: fx.organisationId, reason: RETURN_REASON, on: today } }
        : { ...row.context, signingSince: today, signingRound: row.context.signingRound + 1, signatures: [], lastReturn: null };
      await client.query(
        q(
          'update',
          'UPDATE agreement SET state_value = $2, context = $3, state = $4, row_version = row_version + 1, updated_at = now() WHERE id = $1',
          [id, JSON.stringify(to), JSON.stringify(context), to],
        ),
      );
      const last = (await client.query(q('last', 'SELECT seq, hash FROM audit_event WHERE case_id = $1 ORDER BY seq DESC LIMIT 1', [id]))).rows[0] as
        | { seq: number; hash: string }
        | undefined;
      const payload = signing ? { organisationId: fx.organisationId, reason: RETURN_REASON, effectiveOn: today } : { effectiveOn: today };
      const fields: ChainedFields = {
        agreementId: id,
        seq: (last?.seq ?? 0) + 1,
        occurredAt: clock.now().toISOString(),
        actorPersonId: actor.personId,
        actorName: actor.name,
        actorRole: actor.role,
        actorOrganisationId: actor.organisationId,
        actorOrganisationName: actor.organisationName,
        eventType: signing ? 'RETURN_TO_DRAFT' : 'SEND_FOR_SIGNING',
        payload,
        fromState: signing ? 'signing' : 'draft',
        toState: to,
        reason: signing ? RETURN_REASON : null,
        outcome: 'applied',
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      await client.query(
        q(
          'audit',
          `INSERT INTO audit_event (case_id, seq, occurred_at, actor_person_id, actor_name, actor_role, actor_organisation_id,
             actor_organisation_name, event_type, payload, from_state, to_state, reason, outcome, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
          [
            id,
            fields.seq,
            fields.occurredAt,
            fields.actorPersonId,
            fields.actorName,
            fields.actorRole,
            fields.actorOrganisationId,
            fields.actorOrganisationName,
            fields.eventType,
            JSON.stringify(payload),
            fields.fromState,
            fields.toState,
            fields.reason,
            fields.outcome,
            fields.prevHash,
            hashOf(fields),
          ],
        ),
      );
      // The engine's reminder replacement (signing plans two signature reminders, draft none); draft and signing have no timers.
      if (to === 'signing') {
        await client.query(
          q(
            'reminders',
            `WITH cleared AS (DELETE FROM case_reminder WHERE case_id = $1 AND decided_at IS NULL)
             INSERT INTO case_reminder (case_id, kind, reminder_key, cycle, audience, send_at, deadline_date, scheduled_in_state)
             SELECT $1::uuid, v.kind, v.reminder_key, v.cycle, v.audience, v.send_at, v.deadline_date, 'signing'
               FROM (VALUES ('signature_missing'::text, 'signature_missing:1w'::text, $2::int, 'unsigned_signatories'::text, $3::timestamptz, $4::date),
                            ('signature_missing', 'signature_missing:3w', $2::int, 'unsigned_signatories', $3::timestamptz + interval '14 days', $4::date))
                    AS v (kind, reminder_key, cycle, audience, send_at, deadline_date)
              WHERE NOT EXISTS (SELECT 1 FROM case_reminder d WHERE d.case_id = $1 AND d.reminder_key = v.reminder_key AND d.cycle = v.cycle AND d.decided_at IS NOT NULL)`,
            [id, context.signingRound, clock.now(), today],
          ),
        );
      } else {
        await client.query(q('reminders-clear', 'DELETE FROM case_reminder WHERE case_id = $1 AND decided_at IS NULL', [id]));
      }
      await client.query('COMMIT');
      states[index] = signing ? 0 : 1;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
}

export function enginePath(engine: WorkflowEngineService, fx: Fixture, states: Uint8Array) {
  return async (index: number): Promise<void> => {
    const signing = states[index] === 1;
    await engine.apply(
      { type: 'agreement', id: fx.ids[index] },
      signing ? { type: 'RETURN_TO_DRAFT', organisationId: fx.organisationId, reason: RETURN_REASON } : { type: 'SEND_FOR_SIGNING' },
      fx.actor,
    );
    states[index] = signing ? 0 : 1;
  };
}

class HttpLoad {
  private readonly worker: Worker;
  private failure?: Error;

  constructor() {
    const file = path.join(__dirname, 'http-load.worker.ts');
    // ts-node in the worker too; the worker imports only Node built-ins and ./load.
    this.worker = new Worker(`require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(file)});`, { eval: true });
    this.worker.on('error', (error) => {
      this.failure = error;
    });
  }

  run(msg: Omit<HttpRunRequest, 'type'>): Promise<DriveResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.worker.once('error', onError);
      this.worker.once('message', (reply: HttpRunReply) => {
        this.worker.off('error', onError);
        if (reply.type === 'done') resolve({ latencies: reply.latencies, windowMs: reply.windowMs });
        else reject(new Error(`http: ${reply.message}`));
      });
      this.worker.postMessage({ type: 'run', ...msg } satisfies HttpRunRequest);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

// --- statistics and report ---------------------------------------------------------------------

interface Measurement {
  clients: number;
  path: BenchPath;
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPUs used by processes outside the benchmark during the row (NaN if unknown). */
  otherCpus: number;
}

function measure(clients: number, benchPath: BenchPath, result: DriveResult): Omit<Measurement, 'otherCpus'> {
  const sorted = Float64Array.from(result.latencies).sort();
  const pct = (p: number): number => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
  return { clients, path: benchPath, count: sorted.length, perSecond: sorted.length / (result.windowMs / 1000), p50: pct(50), p99: pct(99) };
}


function table(results: Measurement[]): string {
  const lines = [
    '| clients | path | transitions/s | p50 ms | p99 ms | vs raw | other CPU |',
    '|--------:|------|--------------:|-------:|-------:|-------:|----------:|',
  ];
  for (const m of results) {
    const raw = results.find((r) => r.clients === m.clients && r.path === 'raw');
    const ratio = raw && m.path !== 'raw' ? f2(m.perSecond / raw.perSecond) : '1.00';
    lines.push(`| ${m.clients} | ${m.path} | ${f0(m.perSecond)} | ${f2(m.p50)} | ${f2(m.p99)} | ${ratio} | ${Number.isNaN(m.otherCpus) ? '?' : f2(m.otherCpus)} |`);
  }
  return lines.join('\n');
}

function ratioTable(results: Measurement[]): string {
  const lines = ['| clients | engine/raw | http/raw | http/engine |', '|--------:|-----------:|---------:|------------:|'];
  for (const clients of LEVELS) {
    const by = (p: BenchPath): number => results.find((r) => r.clients === clients && r.path === p)?.perSecond ?? Number.NaN;
    lines.push(`| ${clients} | ${f2(by('engine') / by('raw'))} | ${f2(by('http') / by('raw'))} | ${f2(by('http') / by('engine'))} |`);
  }
  return lines.join('\n');
}

function reading(results: Measurement[]): string {
  const ratios = LEVELS.map((c) => {
    const by = (p: BenchPath): number => results.find((r) => r.clients === c && r.path === p)?.perSecond ?? Number.NaN;
    return { clients: c, engine: by('engine') / by('raw'), http: by('http') / by('raw') };
  });
  const worst = ratios.reduce((a, b) => (b.engine < a.engine ? b : a));
  const met = ratios.every((r) => r.engine >= 0.5);
  const list = ratios.map((r) => `${f2(r.engine)} at ${r.clients}`).join(', ');
  return [
    `- Target (engine path ≥ 0.5 × raw ceiling): **${met ? 'met' : 'not met'}** — engine/raw is ${list} client(s); lowest ${f2(worst.engine)} at ${worst.clients}.`,
    `- HTTP/raw: ${ratios.map((r) => `${f2(r.http)} at ${r.clients}`).join(', ')}. HTTP adds Express, validation, the request logger and the x-person-id lookup (one SELECT of person + organisation) on top of the engine.`,
  ].join('\n');
}

async function machine(dbUrl: string): Promise<Record<string, string>> {
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const setting = async (name: string): Promise<string> => ((await db.query(`SHOW ${name}`)).rows[0] as Record<string, string>)[name];
    const cpu = os.cpus()[0]?.model ?? 'unknown';
    let commit = '';
    try {
      const git = (args: string): string => execSync(`git ${args}`, { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
      const dirty = git('status --porcelain -- src workflows migrations');
      commit = `${git('rev-parse --short HEAD')}${dirty ? ' + uncommitted changes in src/, workflows/ or migrations/' : ''}`;
    } catch {
      commit = 'unknown';
    }
    return {
      cpu: `${os.availableParallelism()} × ${cpu}`,
      memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      postgres: `${await setting('server_version')} (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded'}; fsync=${await setting('fsync')}, synchronous_commit=${await setting('synchronous_commit')}, shared_buffers=${await setting('shared_buffers')})`,
      commit,
    };
  } finally {
    await db.end();
  }
}

async function writeResults(body: string): Promise<void> {
  if (RESULTS_FILE === '-') return;
  let kept = '';
  if (existsSync(RESULTS_FILE)) {
    const old = await fs.readFile(RESULTS_FILE, 'utf8');
    const at = old.indexOf(KEEP_MARKER);
    if (at >= 0) kept = old.slice(at + KEEP_MARKER.length).replace(/^\n+/, '');
  }
  await fs.writeFile(RESULTS_FILE, `${body}\n${KEEP_MARKER}\n\n${kept}`.replace(/\n+$/, '\n'));
  log(`skrev ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

/**
 * CPU time (in CPUs, 0..nproc) used by processes outside this benchmark's own process tree (the
 * app, the worker and an embedded PostgreSQL are children of this process), from /proc. Other
 * work on a small machine skews every row, so each row records it. NaN where /proc is missing.
 */
interface CpuMark {
  at: number;
  total: number;
  ours: number;
}

async function cpuMark(): Promise<CpuMark | null> {
  try {
    const cpuLine = (await fs.readFile('/proc/stat', 'utf8')).split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const busy = cpuLine.reduce((sum, v) => sum + v, 0) - cpuLine[3] - (cpuLine[4] ?? 0);
    const procs = new Map<number, { ppid: number; jiffies: number }>();
    for (const entry of await fs.readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = await fs.readFile(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // After the name: state ppid ... utime(12) stime(13) cutime(14) cstime(15), 0-based from state.
        procs.set(Number(entry), { ppid: Number(fields[1]), jiffies: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) });
      } catch {
        // gone meanwhile
      }
    }
    const isOurs = (pid: number): boolean => {
      for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
        if (p === process.pid) return true;
        p = procs.get(p)?.ppid ?? 0;
      }
      return false;
    };
    let ours = 0;
    for (const [pid, proc] of procs) if (isOurs(pid)) ours += proc.jiffies;
    return { at: performance.now(), total: busy, ours };
  } catch {
    return null;
  }
}

/** Other processes' CPU use between two marks, in CPUs (USER_HZ = 100 on Linux). */
function otherCpus(a: CpuMark | null, b: CpuMark | null): number {
  if (!a || !b || b.at <= a.at) return Number.NaN;
  const jiffies = b.total - a.total - (b.ours - a.ours);
  return Math.max(0, jiffies / 100 / ((b.at - a.at) / 1000));
}

// --- main --------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const wallStart = performance.now();
  const db = await openDatabase();
  let started: StartedApp | undefined;
  let pool: Pool | undefined;
  let http: HttpLoad | undefined;
  try {
    started = await startQuietApp(db.url);
    const { app } = started;
    const baseUrl = started.url.replace('localhost', '127.0.0.1');
    log(`app på ${baseUrl}, databas ${db.name}; skapar ${f0(AGREEMENTS)} överenskommelser`);

    const fx = await seed(started, db.url);
    log(`${f0(AGREEMENTS)} överenskommelser i utkast på ${f0(fx.seedMs)} ms (mall via tjänsten, resten kopierade i klump)`);

    const states = new SharedArrayBuffer(AGREEMENTS);
    const stateView = new Uint8Array(states);
    pool = new Pool({ connectionString: db.url, max: RAW_POOL_SIZE });
    http = new HttpLoad();
    const clock = app.get(ClockService);
    const runners: Record<Exclude<BenchPath, 'http'>, (index: number) => Promise<void>> = {
      raw: rawPath(pool, clock, fx, stateView),
      engine: enginePath(app.get(WorkflowEngineService), fx, stateView),
    };

    // Each level runs the paths in ROUNDS interleaved slices (raw, engine, http, raw, …) so a burst of
    // other work on the machine hits all three alike and the ratios stay comparable.
    const results: Measurement[] = [];
    const measureMs = (SECONDS * 1000) / ROUNDS;
    for (const clients of LEVELS) {
      const slices = slicesFor(AGREEMENTS, clients);
      const acc = new Map<BenchPath, { parts: Float64Array[]; windowMs: number; otherCpuMs: number }>();
      for (let round = 0; round < ROUNDS; round++) {
        const warmupMs = round === 0 ? WARMUP_SECONDS * 1000 : REWARM_MS;
        for (const p of PATHS) {
          const before = await cpuMark();
          const result =
            p === 'http'
              ? await http.run({ baseUrl, personId: fx.personId, organisationId: fx.organisationId, reason: RETURN_REASON, ids: fx.ids, states, slices, warmupMs, measureMs })
              : await drive(slices, warmupMs, measureMs, runners[p]);
          const other = otherCpus(before, await cpuMark());
          const a = acc.get(p) ?? { parts: [], windowMs: 0, otherCpuMs: 0 };
          a.parts.push(result.latencies);
          a.windowMs += result.windowMs;
          a.otherCpuMs += (Number.isNaN(other) ? 0 : other) * result.windowMs;
          acc.set(p, a);
        }
      }
      for (const p of PATHS) {
        const a = acc.get(p)!;
        const latencies = new Float64Array(a.parts.reduce((n, part) => n + part.length, 0));
        let offset = 0;
        for (const part of a.parts) {
          latencies.set(part, offset);
          offset += part.length;
        }
        const m = { ...measure(clients, p, { latencies, windowMs: a.windowMs }), otherCpus: a.otherCpuMs / a.windowMs };
        results.push(m);
        log(`${String(clients).padStart(2)} klient(er) ${p.padEnd(6)} ${f0(m.perSecond).padStart(6)}/s  p50 ${f2(m.p50)} ms  p99 ${f2(m.p99)} ms  (andra processer: ${f2(m.otherCpus)} CPU)`);
      }
    }

    // Every chain must still verify: the copies, the raw path's rows and the engine's rows alike.
    const t0 = performance.now();
    const report = await app.get(AuditService).verify(new Date());
    if (!report.intact) throw new Error(`Granskningskedjan är bruten: ${JSON.stringify(report.breaks.slice(0, 3))}`);
    log(`granskningskedjan hel: ${f0(report.eventsChecked)} rader i ${f0(report.agreementsChecked)} kedjor (${f0(performance.now() - t0)} ms)`);
    if (report.agreementsChecked !== AGREEMENTS || report.eventsChecked < 2 * AGREEMENTS) throw new Error('Oväntat antal granskningsrader');

    const info = await machine(db.url);
    const maxOther = Math.max(0, ...results.map((r) => r.otherCpus).filter((v) => !Number.isNaN(v)));
    const command = [
      process.env.DATABASE_URL ? 'DATABASE_URL=…' : '',
      process.env.BENCH_SECONDS ? `BENCH_SECONDS=${process.env.BENCH_SECONDS}` : '',
      process.env.BENCH_WARMUP_SECONDS ? `BENCH_WARMUP_SECONDS=${process.env.BENCH_WARMUP_SECONDS}` : '',
      process.env.BENCH_ROUNDS ? `BENCH_ROUNDS=${process.env.BENCH_ROUNDS}` : '',
      process.env.BENCH_AGREEMENTS ? `BENCH_AGREEMENTS=${process.env.BENCH_AGREEMENTS}` : '',
      process.env.BENCH_CONCURRENCY ? `BENCH_CONCURRENCY=${process.env.BENCH_CONCURRENCY}` : '',
      RAW_PREPARED ? 'BENCH_RAW_PREPARED=1' : '',
      PG_DURABLE ? 'BENCH_PG_DURABLE=1' : '',
      'npm run bench',
    ]
      .filter(Boolean)
      .join(' ');
    const markdown = [
      '# Engine benchmark',
      '',
      `Written by \`bench/engine.bench.ts\` on ${new Date().toISOString()}.`,
      '',
      `- Machine: ${info.cpu}, ${info.memory} RAM, ${info.os}`,
      `- Node ${info.node}; PostgreSQL ${info.postgres}`,
      `- Commit: ${info.commit}`,
      `- Other load: processes outside the benchmark used up to ${f2(maxOther)} of ${os.availableParallelism()} CPUs during a row (column "other CPU")${maxOther > 0.25 ? ' — **the machine was not idle; rows with high values are noisy**' : ''}`,
      `- Command: \`${command}\``,
      `- Workload: SEND_FOR_SIGNING ↔ RETURN_TO_DRAFT on ${f0(AGREEMENTS)} Bromodellen agreements; each client owns a disjoint slice and picks agreements at random in it. Per concurrency level the three paths take turns in ${ROUNDS} rounds (raw, engine, http, raw, …; ${WARMUP_SECONDS} s warm-up before the first, ${REWARM_MS} ms before the others), ${SECONDS} s measured per row in all; latency is per transition, closed loop.`,
      `- Data: one agreement created through \`AgreementsService.create\` and accepted (\`ACCEPT_INITIATIVE\`) through the engine, then copied in bulk with SQL (snapshot with its own agreementId, parties, cost lines, members, both audit rows with the hash chain recomputed); ${f0(fx.seedMs)} ms. \`AuditService.verify\` checks every chain after the run.`,
      `- Paths: **raw** = the engine's statements through \`pg\` (Pool of ${RAW_POOL_SIZE}${RAW_PREPARED ? ', named prepared statements' : ', unnamed statements like TypeORM'}): BEGIN; SELECT * … FOR UPDATE; UPDATE agreement; SELECT last audit seq/hash; INSERT audit_event (sha256 chain hash computed in JS); replace the agreement's planned reminders (one statement; draft and signing have no timers); COMMIT — no Nest, TypeORM or XState. **engine** = \`WorkflowEngineService.apply()\` in process (TypeORM pool: 10). **http** = \`POST /agreements/:id/events\` with \`x-person-id\`, keep-alive, client in a worker thread. App started with LOG_LEVEL=error, TIMER_SWEEP_INTERVAL_MS=0, OUTBOX_SEND_INTERVAL_MS=0 (no background sweeps or sends).`,
      '',
      table(results),
      '',
      ratioTable(results),
      '',
      '## Reading',
      '',
      reading(results),
      `- Load generator, app and PostgreSQL share the same ${os.availableParallelism()} CPU(s); numbers are for comparing paths on one machine, not capacity planning.`,
      '',
    ].join('\n');
    process.stdout.write(`\n${table(results)}\n\n${ratioTable(results)}\n\n${reading(results)}\n`);
    await writeResults(markdown);
  } finally {
    await http?.close().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    if (started) await started.app.close().catch((error: unknown) => log(`app.close: ${String(error)}`));
    await db.drop().catch((error: unknown) => log(`DROP DATABASE: ${String(error)}`));
    if (db.embedded) await db.embedded.stop();
    if (db.tempDir) await fs.rm(db.tempDir, { recursive: true, force: true });
    log(`klart på ${f0((performance.now() - wallStart) / 1000)} s`);
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`[bench] misslyckades: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
