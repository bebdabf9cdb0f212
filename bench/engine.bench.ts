/**
 * Engine throughput benchmark (not a jest test): `npm run bench`.
 *
 * One steady, repeatable workload: SEND_FOR_SIGNING ↔ RETURN_TO_DRAFT on 10,000 agreements, measured
 * four ways at 1, 4 and 16 concurrent clients:
 *   raw     the engine's SQL issued directly through `pg` (no Nest, no TypeORM, no XState)
 *   engine  WorkflowEngineService.apply() in process
 *   http    POST /agreements/:id/events over keep-alive HTTP (client in a worker thread)
 *   pgbench the same transaction as a pgbench script (bench/pgbench.ts) on the same server and
 *           database, `-M extended` (unnamed statements, as `pg` sends TypeORM's): the ceiling, no Node at all
 * (and, when BENCH_PATHS names it, pgbench-prepared: the same with `-M prepared`).
 *
 * Environment: DATABASE_URL (else an embedded PostgreSQL in a temp dir), BENCH_SECONDS (5, measured
 * per path and level), BENCH_ROUNDS (5: the paths take turns in that many rounds per level, so other
 * load on the machine hits them alike), BENCH_WARMUP_SECONDS (1, before the first round),
 * BENCH_AGREEMENTS (10000), BENCH_CONCURRENCY (1,4,16), BENCH_PATHS (raw,engine,http,pgbench),
 * BENCH_RAW_PREPARED=1 (named prepared statements on the raw path), BENCH_PG_DURABLE=1 (embedded
 * server with fsync/synchronous_commit on), BENCH_PGBENCH (the pgbench binary; `pgbench` on PATH),
 * BENCH_RESULTS (bench/RESULTS.md; "-" to not write).
 */
import { cpuMark, otherCpus } from './cpu';
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Client, Pool, type PoolClient, type QueryConfig } from 'pg';
import type { INestApplication } from '@nestjs/common';
import type { StartedApp } from '@app/bootstrap';
import { DataSource, type EntityManager } from 'typeorm';
import { AgreementRepository } from '@app/agreements/agreement.repository';
import { AgreementsService } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import { CHAIN_VERSION, GENESIS_HASH, hashOf, type ChainedFields } from '@app/audit/audit-chain';
import type { AuditEvent } from '@app/audit/audit-event.entity';
import { AuditService, chainedFieldsOf as auditChainedFieldsOf } from '@app/audit/audit.service';
import { ActorResolver } from '@app/auth/actor.resolver';
import type { CaseKind } from '@app/cases/case-kind';
import { CaseRegistry } from '@app/cases/case-registry';
import { ClockService } from '@app/clock/clock.service';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@app/database/embedded-postgres';
import { noticeIdempotencyKey } from '@app/notifications/agreement-notices';
import { NoticePreferencesRepository } from '@app/notifications/notice-preferences.repository';
import { enqueueMessages, type OutgoingMessage } from '@app/notifications/outbox.repository';
import { WorkflowEngineService } from '@app/workflow-engine/workflow-engine.service';
import type { NoticeKind } from '@workflows/agreement/notices';
import { DEFAULT_REMINDER_POLICY, offsetLabel } from '@workflows/agreement/reminders';
import { addDays, addMonths, startOfDayInstant, type CalendarDate } from '@workflows/calendar/calendar';
import { bromodellenBody, createBromodellenParties } from '@test/support/factories';
import { clientsOf } from '@test/support/test-app';
import type { HttpRunReply, HttpRunRequest } from './http-load.worker';
import { drive, slicesFor, type DriveResult } from './load';
import { benchLog, f0, f2 } from './report';
import { startQuietApp } from './app';
import { ORDINAL_TABLE, pgbenchArgs, pgbenchScript, pgbenchVersion, runPgbench, type NoticeRow, type PgbenchMode, type PgbenchRun, type PgbenchTransaction } from './pgbench';

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
const ALL_PATHS = ['raw', 'engine', 'http', 'pgbench', 'pgbench-prepared'] as const;
type BenchPath = (typeof ALL_PATHS)[number];
/** BENCH_PATHS=engine (say) runs one path only, e.g. under --cpu-prof; ratios then need raw and pgbench too. */
const PATHS = ALL_PATHS.filter((p) => (process.env.BENCH_PATHS ?? 'raw,engine,http,pgbench').split(',').includes(p));
const PGBENCH = process.env.BENCH_PGBENCH ?? 'pgbench';
const PGBENCH_MODES: Partial<Record<BenchPath, PgbenchMode>> = { pgbench: 'extended', 'pgbench-prepared': 'prepared' };
/** The issue's targets against pgbench: engine in process ≥ 0.6 × at 1 and 16 clients and ≥ 0.45 × at 4, HTTP ≥ 0.35 × at every level. */
const ENGINE_TARGET: Record<number, number> = { 1: 0.6, 4: 0.45, 16: 0.6 };
const HTTP_TARGET = 0.35;
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
function chainedFieldsOf(row: AuditEvent, caseId: string, prevHash: string): ChainedFields {
  const fields = auditChainedFieldsOf(row);
  return 'agreementId' in fields ? { ...fields, agreementId: caseId, prevHash } : { ...fields, caseId, prevHash };
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
 * `ids.length` times in bulk: its case_record row, the agreement row with its own id in the
 * snapshot context, its parties, cost lines, members, timers, deadlines and reminders, its audit
 * rows with the hash chain recomputed, and its chain head.
 */
async function cloneAgreement(dbUrl: string, templateId: string, history: AuditEvent[], ids: string[]): Promise<void> {
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const recordCols = await columnsOf(db, 'case_record');
    const recordSql = `INSERT INTO case_record (${recordCols.map((c) => `"${c}"`).join(', ')})
      SELECT ${recordCols.map((c) => (c === 'id' ? 'n.id' : c === 'created_at' || c === 'updated_at' ? 'now()' : `r."${c}"`)).join(', ')}
      FROM case_record r CROSS JOIN unnest($2::uuid[]) AS n(id) WHERE r.id = $1`;
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
    for (const [table, key] of [
      ['agreement_party', 'agreement_id'],
      ['agreement_cost_line', 'agreement_id'],
      ['agreement_member', 'agreement_id'],
      ['case_timer', 'case_id'],
      ['case_deadline', 'case_id'],
      ['case_reminder', 'case_id'],
    ]) {
      const cols = (await columnsOf(db, table)).filter((c) => c !== 'id');
      childSql.push(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')})
        SELECT ${cols.map((c) => (c === key ? 'n.id' : `t."${c}"`)).join(', ')}
        FROM ${table} t CROSS JOIN unnest($2::uuid[]) AS n(id) WHERE t.${key} = $1`);
    }
    const auditCols = (await columnsOf(db, 'audit_event')).filter((c) => c !== 'id');
    const fromNew: Record<string, string> = { case_id: 'n.id', prev_hash: 'n.prev_hash', hash: 'n.hash' };
    const auditSql = `INSERT INTO audit_event (${auditCols.map((c) => `"${c}"`).join(', ')})
      SELECT ${auditCols.map((c) => fromNew[c] ?? `e."${c}"`).join(', ')}
      FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[]) AS n(id, seq, prev_hash, hash)
      JOIN audit_event e ON e.case_id = $1 AND e.seq = n.seq
      ORDER BY n.id, n.seq`;
    // Each copy's own head on case_record (the copied row has the template's count, not its hash).
    const headSql = `UPDATE case_record c SET audit_last_hash = n.last_hash FROM unnest($1::uuid[], $2::text[]) AS n(id, last_hash) WHERE c.id = n.id`;

    const BATCH = 2000;
    await db.query('BEGIN');
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      await db.query(recordSql, [templateId, batch]);
      await db.query(agreementSql, [templateId, batch]);
      for (const sql of childSql) await db.query(sql, [templateId, batch]);
      const aid: string[] = [];
      const seq: number[] = [];
      const prev: string[] = [];
      const hash: string[] = [];
      const lastHash: string[] = [];
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
        lastHash.push(prevHash);
      }
      await db.query(auditSql, [templateId, aid, seq, prev, hash]);
      await db.query(headSql, [batch, lastHash]);
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
  /** The engine's own locking read of an agreement and its case_record row ($1 = id, $2 = case type). */
  lockSql: string;
  /** The notices the engine wrote for one send and one return, per person (see sampleNotices). */
  notices: NoticeSample;
  seedMs: number;
}

/** In a template, where the agreement's id stands (links and keys name it). */
export const CASE_MARK = '{{case}}';

export interface NoticeSample {
  send: NoticeRow[];
  ret: NoticeRow[];
  /** The Message-ID domain the engine's rows use. */
  domain: string;
}

/**
 * The notices SEND_FOR_SIGNING and RETURN_TO_DRAFT give (to each party's firmatecknare, and the
 * secretariat on a return), as the engine writes them for a copy: two rounds there and back, and the
 * second round's rows must equal the first's apart from the id, so raw and pgbench can write the very
 * same rows for any agreement. Leaves the copy in draft, as the others.
 */
async function sampleNotices(app: INestApplication, id: string, actor: Actor, organisationId: string): Promise<NoticeSample> {
  const engine = app.get(WorkflowEngineService);
  const ds = app.get(DataSource);
  const rounds: Array<Record<'send' | 'ret', NoticeRow[]>> = [];
  let domain = '';
  for (let round = 0; round < 2; round++) {
    const one = { send: [] as NoticeRow[], ret: [] as NoticeRow[] };
    for (const [which, event] of [
      ['send', { type: 'SEND_FOR_SIGNING' }],
      ['ret', { type: 'RETURN_TO_DRAFT', organisationId, reason: RETURN_REASON }],
    ] as const) {
      const { rowVersion } = await engine.apply({ type: 'agreement', id }, event, actor);
      const rows = await ds.query<Array<{ idempotency_key: string; message_id: string; kind: string; recipient: string; recipient_name: string | null; subject: string; text_body: string; html_body: string }>>(
        `SELECT idempotency_key, message_id, kind, recipient, recipient_name, subject, text_body, html_body FROM outbox_message WHERE idempotency_key LIKE $1 ORDER BY id`,
        [`notice:${id}:${rowVersion}:%`],
      );
      const mark = (text: string): string => text.split(id).join(CASE_MARK);
      for (const r of rows) {
        if (r.idempotency_key !== noticeIdempotencyKey(id, rowVersion, r.kind, r.recipient)) throw new Error(`Meddelandenyckeln har ändrat form: ${r.idempotency_key}`);
        domain = r.message_id.replace(/^<[0-9a-f]+@(.*)>$/, '$1');
        one[which].push({ kind: r.kind, recipient: r.recipient, recipientName: r.recipient_name, subject: mark(r.subject), text: mark(r.text_body), html: mark(r.html_body) });
      }
    }
    rounds.push(one);
  }
  if (rounds[0].send.length === 0 || rounds[0].ret.length === 0) throw new Error('Motorn skrev inga meddelanden för kopian (saknar den sina firmatecknare?)');
  if (JSON.stringify(rounds[0]) !== JSON.stringify(rounds[1])) throw new Error('Meddelandena skiljer sig mellan omgångar; raw och pgbench kan inte skriva samma rader');
  return { ...rounds[0], domain };
}

/**
 * What the engine's notices send for one step, through any `query`: the signatories' addresses,
 * who of them turned the kind off, and the rows in one statement (the engine's own functions, so the
 * SQL has one home); the bodies are the sample's with this agreement's id.
 */
async function writeNoticesAsTheEngine(
  query: (sql: string, params?: unknown[]) => Promise<unknown[]>,
  app: INestApplication,
  sample: NoticeSample,
  which: 'send' | 'ret',
  id: string,
  rowVersion: number,
  now: Date,
): Promise<void> {
  const manager = { query } as unknown as EntityManager;
  const templates = sample[which];
  await app.get(AgreementRepository).contactsInRole(id, 'signatory', manager);
  await app.get(NoticePreferencesRepository).optedOut(manager, templates[0].kind as NoticeKind, templates.map((t) => t.recipient));
  const fill = (text: string): string => text.split(CASE_MARK).join(id);
  const messages: OutgoingMessage[] = templates.map((t) => ({
    idempotencyKey: noticeIdempotencyKey(id, rowVersion, t.kind, t.recipient),
    case: { type: 'agreement', id },
    kind: t.kind,
    recipient: t.recipient,
    recipientName: t.recipientName,
    subject: fill(t.subject),
    text: fill(t.text),
    html: fill(t.html),
  }));
  const written = await enqueueMessages(manager, messages, now, sample.domain);
  if (written !== messages.length) throw new Error(`raw: ${messages.length - written} meddelanden fanns redan för ${id}`);
}

/** The engine's locking read, as WorkflowEngineService builds it (a private method: read, not copied, so raw and pgbench follow it). */
function engineLockSql(app: INestApplication): string {
  const service: unknown = app.get(WorkflowEngineService);
  const engine = service as { statementsOf?: (kind: CaseKind) => { lockSql?: unknown } };
  const lockSql = engine.statementsOf?.call(engine, app.get(CaseRegistry).get('agreement')).lockSql;
  if (typeof lockSql !== 'string' || !/ FOR UPDATE OF k, c$/.test(lockSql)) throw new Error('WorkflowEngineService.statementsOf(kind).lockSql finns inte längre; rätta benchmarken');
  return lockSql;
}

/** What the engine's role check records for each event of the workload (the capacity used); the run's end compares every path's audit rows. */
const ROLE_OF = { SEND_FOR_SIGNING: 'secretariat', RETURN_TO_DRAFT: 'signatory' } as const;

/** The signature reminders SEND_FOR_SIGNING plans under the default policy (no agreement has its own): after 1 and 3 weeks. */
function signatureReminders(signingSince: CalendarDate): PgbenchTransaction['reminders'] {
  return DEFAULT_REMINDER_POLICY.signatureMissingAfter.map((offset) => {
    const sendOn = addDays(addMonths(signingSince, offset.months ?? 0), (offset.weeks ?? 0) * 7 + (offset.days ?? 0));
    return { kind: 'signature_missing', key: `signature_missing:${offsetLabel(offset)}`, audience: 'unsigned_signatories', sendAt: startOfDayInstant(sendOn), deadlineDate: signingSince };
  });
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
  // The template through the service and the engine, then copied in bulk (see cloneAgreement). The
  // secretariat's person is named as kommunen's firmatecknare, so the rules let them return it to draft.
  const body = bromodellenBody(parties, { signatoryIds: [parties.secretariat.id, parties.bildaSignatory.id, parties.ehSignatory.id] });
  const created = await app.get(AgreementsService).create(body, proposer);
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
  const notices = await sampleNotices(app, ids[ids.length - 1], actor, parties.kommun.id);
  return { ids, actor, personId: parties.secretariat.id, organisationId: parties.kommun.id, lockSql: engineLockSql(app), notices, seedMs: performance.now() - t0 };
}

// --- the paths -------------------------------------------------------------------------------

/**
 * The engine's statements for this workload, in its order, through `pg` (from the SQL one
 * `apply()` sends; no timers and no deadline rows change between draft and signing, so the engine
 * sends neither): BEGIN; its locking read of agreement + case_record; UPDATE agreement (the changed
 * columns); the case's title and diarienummer (the kind's summary); INSERT audit_event after the
 * head read with the lock, with case_record's head and summary moved in the same statement; the
 * reminder replacement; COMMIT.
 */
export function rawPath(pool: Pool, clock: ClockService, fx: Fixture, states: Uint8Array, app: INestApplication) {
  const q = (name: string, text: string, values: unknown[]): QueryConfig => (RAW_PREPARED ? { name, text, values } : { text, values });
  const { actor } = fx;
  return async (index: number): Promise<void> => {
    const id = fx.ids[index];
    const signing = states[index] === 1;
    const client: PoolClient = await pool.connect();
    try {
      await client.query('BEGIN');
      const locked = await client.query(q('lock', fx.lockSql, [id, 'agreement']));
      const row = locked.rows[0] as { state: string; row_version: number; context: Record<string, unknown> & { signingRound: number } } | undefined;
      if (!row || row.state !== (signing ? 'signing' : 'draft')) throw new Error(`raw: ${id} är i ${row?.state}, väntade ${signing ? 'signing' : 'draft'}`);
      const today = clock.today();
      const to = signing ? 'draft' : 'signing';
      const context = signing
        ? { ...row.context, signatures: [], signingSince: null, lastReturn: { organisationId: fx.organisationId, reason: RETURN_REASON, on: today } }
        : { ...row.context, signingSince: today, signingRound: row.context.signingRound + 1, signatures: [], lastReturn: null };
      await client.query(
        q('update', 'UPDATE agreement SET state_value = $2::jsonb, context = $3::jsonb, state = $4, row_version = $5, updated_at = now() WHERE id = $1', [
          id,
          JSON.stringify(to),
          JSON.stringify(context),
          to,
          row.row_version + 1,
        ]),
      );
      const summary = (await client.query(q('summary', 'SELECT title, diarienummer FROM agreement WHERE id = $1', [id]))).rows[0] as { title: string; diarienummer: string | null };
      const head = locked.rows[0] as { audit_event_count: number; audit_last_hash: string | null };
      const payload = signing ? { organisationId: fx.organisationId, reason: RETURN_REASON, effectiveOn: today } : { effectiveOn: today };
      const eventType = signing ? 'RETURN_TO_DRAFT' : 'SEND_FOR_SIGNING';
      const fields: ChainedFields = {
        caseType: 'agreement',
        caseId: id,
        seq: head.audit_event_count + 1,
        occurredAt: clock.now().toISOString(),
        actorPersonId: actor.personId,
        actorName: actor.name,
        actorRole: ROLE_OF[eventType],
        actorOrganisationId: actor.organisationId,
        actorOrganisationName: actor.organisationName,
        eventType,
        payload,
        fromState: signing ? 'signing' : 'draft',
        toState: to,
        reason: signing ? RETURN_REASON : null,
        outcome: 'applied',
        prevHash: head.audit_last_hash ?? GENESIS_HASH,
      };
      const moved = await client.query(
        q(
          'audit',
          `WITH appended AS (
             INSERT INTO audit_event (case_id, seq, occurred_at, actor_person_id, actor_name, actor_role, actor_organisation_id, actor_organisation_name,
                                      event_type, payload, from_state, to_state, reason, outcome, prev_hash, hash, case_type, chain_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id
           ), head AS (
             UPDATE case_record c SET audit_event_count = $2, audit_last_hash = $16, audit_updated_at = $3, title = $19, reference = $20, state = $21,
               updated_at = CASE WHEN (c.title, coalesce(c.reference, ''), c.state) IS DISTINCT FROM ($19, coalesce($20, ''), $21) THEN $3 ELSE c.updated_at END
              WHERE c.id = $1 AND c.audit_event_count = $2 - 1 RETURNING c.id
           )
           SELECT appended.id, EXISTS (SELECT 1 FROM head) AS moved FROM appended`,
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
            'agreement',
            CHAIN_VERSION,
            summary.title,
            summary.diarienummer,
            to,
          ],
        ),
      );
      if (!(moved.rows[0] as { moved: boolean }).moved) throw new Error(`raw: historikens huvud för ${id} flyttade sig`);
      // The engine's reminder replacement: signing plans the two signature reminders, draft none.
      if (to === 'signing') {
        const values: unknown[] = [id, 'signing', 'agreement'];
        const tuples = signatureReminders(today).map((r) => {
          values.push(r.kind, r.key, context.signingRound, r.audience, r.sendAt, r.deadlineDate);
          const n = values.length;
          return `($${n - 5}::text, $${n - 4}::text, $${n - 3}::int, $${n - 2}::text, $${n - 1}::timestamptz, $${n}::date)`;
        });
        await client.query(
          q(
            'reminders',
            `WITH cleared AS (DELETE FROM case_reminder WHERE case_id = $1 AND decided_at IS NULL)
             INSERT INTO case_reminder (case_id, case_type, kind, reminder_key, cycle, audience, send_at, deadline_date, scheduled_in_state)
             SELECT $1::uuid, $3::text, v.kind, v.reminder_key, v.cycle, v.audience, v.send_at, v.deadline_date, $2
               FROM (VALUES ${tuples.join(', ')}) AS v (kind, reminder_key, cycle, audience, send_at, deadline_date)
              WHERE NOT EXISTS (
                SELECT 1 FROM case_reminder d
                 WHERE d.case_id = $1 AND d.reminder_key = v.reminder_key AND d.cycle = v.cycle AND d.decided_at IS NOT NULL)`,
            values,
          ),
        );
      } else {
        await client.query(q('reminders-clear', 'DELETE FROM case_reminder WHERE case_id = $1 AND decided_at IS NULL', [id]));
      }
      // The step's notices, as the engine writes them (one read of the firmatecknare, one of opt-outs, one INSERT).
      await writeNoticesAsTheEngine(async (sql, params) => (await client.query(sql, params)).rows, app, fx.notices, signing ? 'ret' : 'send', id, row.row_version + 1, clock.now());
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

  run(msg: Omit<HttpRunRequest, 'type'>): Promise<DriveResult & { busy: number }> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.worker.once('error', onError);
      this.worker.once('message', (reply: HttpRunReply) => {
        this.worker.off('error', onError);
        if (reply.type === 'done') resolve({ latencies: reply.latencies, windowMs: reply.windowMs, busy: reply.busy });
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
    '| clients | path | transitions/s | p50 ms | p99 ms | vs raw | vs pgbench | other CPU |',
    '|--------:|------|--------------:|-------:|-------:|-------:|-----------:|----------:|',
  ];
  for (const m of results) {
    const ref = (p: BenchPath): string => {
      const r = results.find((x) => x.clients === m.clients && x.path === p);
      return r ? f2(m.perSecond / r.perSecond) : '–';
    };
    lines.push(
      `| ${m.clients} | ${m.path} | ${f0(m.perSecond)} | ${f2(m.p50)} | ${f2(m.p99)} | ${ref('raw')} | ${ref('pgbench')} | ${Number.isNaN(m.otherCpus) ? '?' : f2(m.otherCpus)} |`,
    );
  }
  return lines.join('\n');
}

/** A ratio, or a dash where a path did not run. */
const fr = (x: number): string => (Number.isNaN(x) ? '–' : f2(x));

const rate = (results: Measurement[], clients: number, p: BenchPath): number => results.find((r) => r.clients === clients && r.path === p)?.perSecond ?? Number.NaN;

function ratioTable(results: Measurement[]): string {
  const lines = [
    '| clients | engine/pgbench | http/pgbench | raw/pgbench | engine/raw | http/raw | http/engine |',
    '|--------:|---------------:|-------------:|------------:|-----------:|---------:|------------:|',
  ];
  for (const clients of LEVELS) {
    const by = (p: BenchPath): number => rate(results, clients, p);
    lines.push(
      `| ${clients} | ${fr(by('engine') / by('pgbench'))} | ${fr(by('http') / by('pgbench'))} | ${fr(by('raw') / by('pgbench'))} | ${fr(by('engine') / by('raw'))} | ${fr(by('http') / by('raw'))} | ${fr(by('http') / by('engine'))} |`,
    );
  }
  return lines.join('\n');
}

function reading(results: Measurement[]): string {
  const ratios = LEVELS.map((c) => {
    const by = (p: BenchPath): number => rate(results, c, p);
    return { clients: c, engine: by('engine') / by('raw'), http: by('http') / by('raw'), enginePg: by('engine') / by('pgbench'), httpPg: by('http') / by('pgbench') };
  });
  const verdict = (ok: boolean[]): string => (ok.length === 0 ? 'not measured' : ok.some((v) => !v) ? 'not met' : 'met');
  const engineChecks = ratios.filter((r) => ENGINE_TARGET[r.clients] !== undefined && !Number.isNaN(r.enginePg));
  const engineOk = engineChecks.map((r) => r.enginePg >= ENGINE_TARGET[r.clients]);
  const httpChecks = ratios.filter((r) => !Number.isNaN(r.httpPg));
  const httpOk = httpChecks.map((r) => r.httpPg >= HTTP_TARGET);
  const worst = ratios.reduce((a, b) => (b.engine < a.engine ? b : a));
  const untargeted = ratios.filter((r) => ENGINE_TARGET[r.clients] === undefined).map((r) => r.clients);
  return [
    `- Target (engine in process ≥ 0.6 × pgbench at 1 and 16 clients, ≥ 0.45 × at 4): **${verdict(engineOk)}** — ${engineChecks
      .map((r) => `${f2(r.enginePg)} at ${r.clients} (target ${f2(ENGINE_TARGET[r.clients])}: ${r.enginePg >= ENGINE_TARGET[r.clients] ? 'met' : '**not met**'})`)
      .join(', ')}${untargeted.length ? `; no target at ${untargeted.join(', ')} client(s)` : ''}.`,
    `- Target (HTTP ≥ 0.35 × pgbench at every level): **${verdict(httpOk)}** — ${httpChecks.map((r) => `${f2(r.httpPg)} at ${r.clients}${r.httpPg >= HTTP_TARGET ? '' : ' (**not met**)'}`).join(', ')}.`,
    `- Against raw (the engine's statements through \`pg\` from Node): engine/raw is ${ratios.map((r) => `${fr(r.engine)} at ${r.clients}`).join(', ')} client(s), lowest ${fr(worst.engine)} at ${worst.clients} (old target ≥ 0.5: ${ratios.every((r) => r.engine >= 0.5) ? 'met' : 'not met'}); HTTP/raw ${ratios.map((r) => `${fr(r.http)} at ${r.clients}`).join(', ')}. raw/pgbench is what issuing the statements from Node through \`pg\` costs by itself; HTTP adds Express, validation, the request logger and the x-person-id lookup (one SELECT of person + organisation) on top of the engine.`,
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


// --- pgbench and the end-of-run checks ---------------------------------------------------------

/** Ordinal (index in fx.ids, as the other paths number agreements) → id, for pgbench's `random()`. */
async function createOrdinalTable(pool: Pool, ids: string[]): Promise<void> {
  await pool.query(`CREATE TABLE ${ORDINAL_TABLE} (ord int PRIMARY KEY, id uuid NOT NULL UNIQUE)`);
  await pool.query(`INSERT INTO ${ORDINAL_TABLE} (ord, id) SELECT (u.o - 1)::int, u.id FROM unnest($1::uuid[]) WITH ORDINALITY AS u (id, o)`, [ids]);
  await pool.query(`ANALYZE ${ORDINAL_TABLE}`);
}

/** After a pgbench round the other paths must know which way each agreement goes next. */
async function readStates(pool: Pool, states: Uint8Array): Promise<void> {
  const { rows } = await pool.query<{ ord: number; state: string }>(`SELECT o.ord, a.state FROM ${ORDINAL_TABLE} o JOIN agreement a ON a.id = o.id`);
  for (const r of rows) states[r.ord] = r.state === 'signing' ? 1 : 0;
}

/**
 * Every path must have written the same thing: per event type one shape of audit row (actor,
 * role, payload, states, reason, outcome, chain version), per reminder key one shape of reminder,
 * agreement, case_record and chain head in step, the snapshot as the engine writes it. Throws otherwise.
 */
async function checkPathsWroteAlike(pool: Pool): Promise<number> {
  const one = async (sql: string): Promise<number> => Number(((await pool.query<{ n: string }>(sql)).rows[0] ?? { n: '0' }).n);
  const problems: string[] = [];
  const audit = await pool.query<{ event_type: string; n: string }>(
    `SELECT event_type, count(DISTINCT (actor_person_id, actor_name, actor_role, actor_organisation_id, actor_organisation_name, payload - 'documentHash', from_state, to_state, reason, outcome, case_type, chain_version))::int AS n
       FROM audit_event WHERE seq > 2 GROUP BY event_type`,
  );
  for (const r of audit.rows) if (Number(r.n) !== 1) problems.push(`${r.n} olika sorters ${r.event_type}-rader`);
  const reminders = await pool.query<{ reminder_key: string; n: string }>(
    `SELECT reminder_key, count(DISTINCT (kind, audience, send_at, deadline_date, scheduled_in_state, case_type, decided_at))::int AS n FROM case_reminder GROUP BY reminder_key`,
  );
  for (const r of reminders.rows) if (Number(r.n) !== 1) problems.push(`${r.n} olika sorters påminnelser ${r.reminder_key}`);
  // The notices: one shape per kind and person (the id apart), and as many per agreement as its sends and returns gave.
  const notices = await pool.query<{ kind: string; recipient: string; n: string }>(
    `SELECT kind, recipient, count(DISTINCT (recipient_name, replace(subject, case_id::text, ''), length(replace(text_body, case_id::text, '')), length(replace(html_body, case_id::text, '')), case_type))::int AS n
       FROM outbox_message WHERE kind IN ('sent_for_signing', 'returned_to_draft') GROUP BY 1, 2`,
  );
  for (const r of notices.rows) if (Number(r.n) !== 1) problems.push(`${r.n} olika sorters meddelanden ${r.kind} till ${r.recipient}`);
  const perStep = await pool.query<{ kind: string; n: string }>(
    `SELECT kind, count(DISTINCT recipient)::int AS n FROM outbox_message WHERE kind IN ('sent_for_signing', 'returned_to_draft') GROUP BY 1`,
  );
  const recipientsOf = new Map(perStep.rows.map((r) => [r.kind, Number(r.n)]));
  const counted = await one(
    `SELECT count(*) AS n FROM agreement a
      WHERE (SELECT count(*) FROM outbox_message o WHERE o.case_id = a.id AND o.kind = 'sent_for_signing') <> ${recipientsOf.get('sent_for_signing') ?? 0} * (SELECT count(*) FROM audit_event e WHERE e.case_id = a.id AND e.event_type = 'SEND_FOR_SIGNING')
         OR (SELECT count(*) FROM outbox_message o WHERE o.case_id = a.id AND o.kind = 'returned_to_draft') <> ${recipientsOf.get('returned_to_draft') ?? 0} * (SELECT count(*) FROM audit_event e WHERE e.case_id = a.id AND e.event_type = 'RETURN_TO_DRAFT')`,
  );
  if (counted > 0) problems.push(`${counted} överenskommelser med fel antal meddelanden för sina steg`);
  const checks: Array<[string, string]> = [
    ['case_record.state ≠ agreement.state', `SELECT count(*) AS n FROM agreement a JOIN case_record c ON c.id = a.id WHERE c.state <> a.state OR a.state_value <> to_jsonb(a.state)`],
    ['row_version ≠ kedjans längd', `SELECT count(*) AS n FROM agreement a JOIN case_record h ON h.id = a.id WHERE a.row_version <> h.audit_event_count`],
    [
      'kedjehuvud ≠ sista raden',
      `SELECT count(*) AS n FROM case_record h JOIN LATERAL (SELECT seq, hash FROM audit_event e WHERE e.case_id = h.id ORDER BY seq DESC LIMIT 1) l ON true WHERE l.seq <> h.audit_event_count OR l.hash <> h.audit_last_hash`,
    ],
    [
      'signingRound ≠ antal SEND_FOR_SIGNING',
      `SELECT count(*) AS n FROM agreement a WHERE (a.context->>'signingRound')::int <> (SELECT count(*) FROM audit_event e WHERE e.case_id = a.id AND e.event_type = 'SEND_FOR_SIGNING')`,
    ],
    [
      'påminnelser ≠ två per överenskommelse i signering, i dess omgång',
      `SELECT count(*) AS n FROM agreement a WHERE (SELECT count(*) FROM case_reminder r WHERE r.case_id = a.id AND r.cycle = (a.context->>'signingRound')::int AND r.decided_at IS NULL)
         <> CASE WHEN a.state = 'signing' THEN 2 ELSE 0 END OR EXISTS (SELECT 1 FROM case_reminder r WHERE r.case_id = a.id AND r.cycle <> (a.context->>'signingRound')::int)`,
    ],
  ];
  for (const [what, sql] of checks) {
    const n = await one(sql);
    if (n > 0) problems.push(`${n} × ${what}`);
  }
  // The snapshot apart from its id and round: one shape in signing, one in draft once returned, one never sent.
  const shapes = await pool.query<{ state: string; sent: boolean; n: string }>(
    `SELECT state, (context->>'signingRound')::int > 0 AS sent, count(DISTINCT context - 'agreementId' - 'signingRound')::int AS n FROM agreement GROUP BY 1, 2`,
  );
  for (const r of shapes.rows) if (Number(r.n) !== 1) problems.push(`${r.n} olika ögonblicksbilder i ${r.state}${r.sent ? '' : ' (aldrig skickad)'}`);
  if (problems.length > 0) throw new Error(`Vägarna skrev inte likadant: ${problems.join('; ')}`);
  return one(`SELECT count(*) AS n FROM audit_event WHERE seq > 2`);
}

interface PgbenchLevel {
  clients: number;
  path: BenchPath;
  tps: number[];
  latencyAvgMs: number[];
  latencyStddevMs: number[];
  windowStddevMs: number;
  command: string;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function pgbenchSummary(levels: PgbenchLevel[]): string {
  const lines = [
    '| clients | path | pgbench tps (own figure, per round) | latency average ms (pgbench) | latency stddev ms (log, window) |',
    '|--------:|------|-------------------------------------|-----------------------------:|--------------------------------:|',
  ];
  for (const l of levels) {
    lines.push(`| ${l.clients} | ${l.path} | ${f0(mean(l.tps))} (${l.tps.map(f0).join(', ')}) | ${f2(mean(l.latencyAvgMs))} | ${f2(l.windowStddevMs)} |`);
  }
  return lines.join('\n');
}

function stddev(xs: Float64Array): number {
  if (xs.length < 2) return Number.NaN;
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

// --- main --------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const wallStart = performance.now();
  const db = await openDatabase();
  let started: StartedApp | undefined;
  let pool: Pool | undefined;
  let http: HttpLoad | undefined;
  let pgbenchDir: string | undefined;
  try {
    const usesPgbench = PATHS.some((p) => PGBENCH_MODES[p]);
    const pgbenchVersionText = usesPgbench ? await pgbenchVersion(PGBENCH) : '';
    started = await startQuietApp(db.url);
    const { app } = started;
    const baseUrl = started.url.replace('localhost', '127.0.0.1');
    log(`app på ${baseUrl}, databas ${db.name}; skapar ${f0(AGREEMENTS)} överenskommelser`);

    const fx = await seed(started, db.url);
    log(`${f0(AGREEMENTS)} överenskommelser i utkast på ${f0(fx.seedMs)} ms (mall via tjänsten, resten kopierade i klump)`);

    const states = new SharedArrayBuffer(AGREEMENTS);
    const stateView = new Uint8Array(states);
    pool = new Pool({ connectionString: db.url, max: RAW_POOL_SIZE });
    await createOrdinalTable(pool, fx.ids);
    http = new HttpLoad();
    const clock = app.get(ClockService);
    const runners: Partial<Record<BenchPath, (index: number) => Promise<void>>> = {
      raw: rawPath(pool, clock, fx, stateView, app),
      engine: enginePath(app.get(WorkflowEngineService), fx, stateView),
    };
    pgbenchDir = await fs.mkdtemp(path.join(os.tmpdir(), 'iop-bench-pgbench-'));
    const today = clock.today();
    const transaction: PgbenchTransaction = {
      lockSql: fx.lockSql,
      agreements: AGREEMENTS,
      today,
      actor: fx.actor,
      roles: { send: ROLE_OF.SEND_FOR_SIGNING, ret: ROLE_OF.RETURN_TO_DRAFT },
      returnOrganisationId: fx.organisationId,
      returnReason: RETURN_REASON,
      reminders: signatureReminders(today),
      notices: fx.notices,
    };
    const scripts = new Map<number, string>();
    /** Per level: HTTP sends answered 503 (the PDF queue full) and sent again after Retry-After. */
    const httpBusy = new Map<number, number>();

    // Each level runs the paths in ROUNDS interleaved slices (raw, engine, http, pgbench, raw, …) so
    // a burst of other work on the machine hits them all alike and the ratios stay comparable.
    const results: Measurement[] = [];
    const pgbenchLevels: PgbenchLevel[] = [];
    const measureMs = (SECONDS * 1000) / ROUNDS;
    for (const clients of LEVELS) {
      const slices = slicesFor(AGREEMENTS, clients);
      const scriptFile = path.join(pgbenchDir, `engine-transition-c${clients}.sql`);
      if (usesPgbench) {
        const script = pgbenchScript(transaction, clients);
        scripts.set(clients, script);
        await fs.writeFile(scriptFile, script);
      }
      const acc = new Map<BenchPath, { parts: Float64Array[]; windowMs: number; otherCpuMs: number; runs: PgbenchRun[] }>();
      for (let round = 0; round < ROUNDS; round++) {
        const warmupMs = round === 0 ? WARMUP_SECONDS * 1000 : REWARM_MS;
        for (const p of PATHS) {
          const before = await cpuMark();
          const mode = PGBENCH_MODES[p];
          let pgRun: PgbenchRun | undefined;
          let result: DriveResult;
          if (mode) {
            pgRun = await runPgbench({ binary: PGBENCH, url: db.url, mode, scriptFile, clients, warmupMs, measureMs, workDir: pgbenchDir });
            result = pgRun;
          } else if (p === 'http') {
            const run = await http.run({ baseUrl, personId: fx.personId, organisationId: fx.organisationId, reason: RETURN_REASON, ids: fx.ids, states, slices, warmupMs, measureMs });
            httpBusy.set(clients, (httpBusy.get(clients) ?? 0) + run.busy);
            result = run;
          } else {
            result = await drive(slices, warmupMs, measureMs, runners[p]!);
          }
          const other = otherCpus(before, await cpuMark());
          if (mode) await readStates(pool, stateView);
          const a = acc.get(p) ?? { parts: [], windowMs: 0, otherCpuMs: 0, runs: [] };
          a.parts.push(result.latencies);
          a.windowMs += result.windowMs;
          a.otherCpuMs += (Number.isNaN(other) ? 0 : other) * result.windowMs;
          if (pgRun) a.runs.push(pgRun);
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
        log(`${String(clients).padStart(2)} klient(er) ${p.padEnd(16)} ${f0(m.perSecond).padStart(6)}/s  p50 ${f2(m.p50)} ms  p99 ${f2(m.p99)} ms  (andra processer: ${f2(m.otherCpus)} CPU)`);
        if (a.runs.length > 0) {
          pgbenchLevels.push({
            clients,
            path: p,
            tps: a.runs.map((r) => r.reported.tps),
            latencyAvgMs: a.runs.map((r) => r.reported.latencyAvgMs),
            latencyStddevMs: a.runs.map((r) => r.reported.latencyStddevMs),
            windowStddevMs: stddev(latencies),
            command: a.runs[a.runs.length - 1].command,
          });
          log(`   pgbench själv: tps ${a.runs.map((r) => f0(r.reported.tps)).join(', ')} (hela körningen, utan uppkopplingstid), latens i snitt ${a.runs.map((r) => f2(r.reported.latencyAvgMs)).join(', ')} ms`);
        }
      }
    }

    // Every chain must still verify: the copies, and every path's rows (pgbench's hashes are computed in SQL).
    const t0 = performance.now();
    const report = await app.get(AuditService).verify(new Date());
    if (!report.intact) throw new Error(`Granskningskedjan är bruten: ${JSON.stringify(report.breaks.slice(0, 3))}`);
    log(`granskningskedjan hel: ${f0(report.eventsChecked)} rader i ${f0(report.agreementsChecked)} kedjor (${f0(performance.now() - t0)} ms)`);
    if (report.agreementsChecked !== AGREEMENTS || report.eventsChecked < 2 * AGREEMENTS) throw new Error('Oväntat antal granskningsrader');
    const transitions = await checkPathsWroteAlike(pool);
    log(`alla vägar skrev likadant: ${f0(transitions)} övergångar, en sorts granskningsrad per händelse, samma påminnelser och meddelanden, case_record, kedjehuvud och ögonblicksbild i takt`);

    const info = await machine(db.url);
    const maxOther = Math.max(0, ...results.map((r) => r.otherCpus).filter((v) => !Number.isNaN(v)));
    const command = [
      process.env.DATABASE_URL ? 'DATABASE_URL=…' : '',
      process.env.BENCH_SECONDS ? `BENCH_SECONDS=${process.env.BENCH_SECONDS}` : '',
      process.env.BENCH_WARMUP_SECONDS ? `BENCH_WARMUP_SECONDS=${process.env.BENCH_WARMUP_SECONDS}` : '',
      process.env.BENCH_ROUNDS ? `BENCH_ROUNDS=${process.env.BENCH_ROUNDS}` : '',
      process.env.BENCH_AGREEMENTS ? `BENCH_AGREEMENTS=${process.env.BENCH_AGREEMENTS}` : '',
      process.env.BENCH_CONCURRENCY ? `BENCH_CONCURRENCY=${process.env.BENCH_CONCURRENCY}` : '',
      process.env.BENCH_PATHS ? `BENCH_PATHS=${process.env.BENCH_PATHS}` : '',
      RAW_PREPARED ? 'BENCH_RAW_PREPARED=1' : '',
      PG_DURABLE ? 'BENCH_PG_DURABLE=1' : '',
      process.env.BENCH_PGBENCH ? `BENCH_PGBENCH=${process.env.BENCH_PGBENCH}` : '',
      'npm run bench:engine',
    ]
      .filter(Boolean)
      .join(' ');
    const dbu = new URL(db.url);
    const pgEnvShown = `PGHOST=${dbu.hostname} PGPORT=${dbu.port || '5432'} PGUSER=${decodeURIComponent(dbu.username)} PGPASSWORD=… PGDATABASE=${db.name}`;
    const pgbenchLines = usesPgbench
      ? [
          `- pgbench: \`${pgbenchVersionText}\` (\`${PGBENCH}\`), against the same server and database as the other paths, one run per round (\`--time\` in whole seconds covering the warm-up and the window; the window is the last ${f0(measureMs)} ms before pgbench's deadline, a transaction counts if it completed inside it, latencies from \`--log\`). Command (per level, the round's warm-up decides \`--time\`): ${pgbenchLevels
              .map((l) => `\`${pgEnvShown} ${l.command}\``)
              .join('; ')}${PATHS.includes('pgbench-prepared') ? '' : ` (pgbench-prepared, \`--protocol=prepared\`, runs when BENCH_PATHS names it; as an example: \`pgbench ${pgbenchArgs('prepared', '<script>', 4, 2, '<log>').join(' ')}\`)`}.`,
        ]
      : [];
    const pgbenchSection = usesPgbench
      ? [
          '',
          "pgbench's own summary lines (each round's whole run, warm-up included, initial connection time excluded):",
          '',
          pgbenchSummary(pgbenchLevels),
          '',
          '<details><summary>pgbench script (the largest level; the levels differ only in the <code>\\set ord</code> line)</summary>',
          '',
          '```sql',
          (scripts.get(Math.max(...LEVELS)) ?? '').trimEnd(),
          '```',
          '',
          '</details>',
        ]
      : [];
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
      ...pgbenchLines,
      `- Workload: SEND_FOR_SIGNING ↔ RETURN_TO_DRAFT on ${f0(AGREEMENTS)} Bromodellen agreements; each client owns a disjoint slice and picks agreements at random in it (pgbench: \`\\set ord random(…)\` over the same slices, ordinal → id through a helper table \`${ORDINAL_TABLE}\`). Per concurrency level the paths take turns in ${ROUNDS} rounds (${PATHS.join(', ')}, ${PATHS[0]}, …; ${WARMUP_SECONDS} s warm-up before the first, ${REWARM_MS} ms before the others — pgbench at least that, it runs whole seconds on fresh connections), ${SECONDS} s measured per row in all; latency is per transition, closed loop.`,
      `- Data: one agreement created through \`AgreementsService.create\` (the secretariat's person named as kommunen's firmatecknare, so the rules let them return it) and accepted (\`ACCEPT_INITIATIVE\`) through the engine, then copied in bulk with SQL (case_record row, snapshot with its own agreementId, parties, cost lines, members, both audit rows with the hash chain recomputed, chain head); ${f0(fx.seedMs)} ms. After the run \`AuditService.verify\` checks every chain (pgbench's rows included) and the bench checks that all paths wrote alike (${f0(transitions)} transitions: one shape of audit row per event type — actor, role, payload, states, reason, outcome, chain version —, the same reminders, the same notices per person and as many per agreement as its steps gave, case_record, chain head, row_version and signingRound in step with the history, one snapshot shape per state — draft split into never sent and returned).`,
      `- Paths — all send the engine's statements for this transition, in its order: BEGIN; its locking read (\`SELECT … FROM agreement k JOIN case_record c … FOR UPDATE OF k, c\`, taken from WorkflowEngineService); UPDATE agreement (state_value, context, state, row_version, updated_at); SELECT title, diarienummer; INSERT audit_event + UPDATE case_record's chain head (read with the lock) and summary (one statement); replace the planned reminders (signing: DELETE + INSERT of two in one statement; draft: DELETE); the step's notices (issue 15: the firmatecknare's addresses, who turned the kind off, and one INSERT of ${fx.notices.send.length} outbox rows on a send, ${fx.notices.ret.length} on a return — the bodies the engine wrote for a sample copy, with each agreement's id); COMMIT (10 round trips; no timers or deadline rows change). **raw** = those through \`pg\` (Pool of ${RAW_POOL_SIZE}${RAW_PREPARED ? ', named prepared statements' : ', unnamed statements like TypeORM'}; sha256 chain hash in JS) — no Nest, TypeORM or XState. **engine** = \`WorkflowEngineService.apply()\` in process (TypeORM pool: 10). **http** = \`POST /agreements/:id/events\` with \`x-person-id\`, keep-alive, client in a worker thread; **a send over HTTP also renders the agreement's PDF in Chromium and stores it (issue 16: the document the signatures are bound to), which the other paths do not** — at most two print at once, and a send that finds the queue full is answered 503 with Retry-After and sent again after it (${[...httpBusy].map(([c, n]) => `${f0(n)} at ${c}`).join(', ') || 'none'} client(s)). **pgbench** = those as a pgbench script, \`-M extended\` (\`--protocol=extended\`: unnamed statements with bind parameters, as \`pg\` sends TypeORM's; ${PATHS.includes('pgbench-prepared') ? '**pgbench-prepared** the same with `-M prepared`' : '`-M prepared` is the optional path pgbench-prepared'}); it toggles on the locked row's state, so every transaction is a real state change. Not identical to the engine: the new context is built in SQL from the old one sent back (\`$ctx::jsonb || jsonb_build_object(…)\`) instead of in JS; the audit hash is the same sha256 of the same canonical JSON but computed by the server (\`encode(sha256(convert_to(…)))\`, verified afterwards); constant fields (actor, payload, event type, reason, reminder dates) are literals in the script, not bind parameters; occurred_at is the transaction's \`now()\` to the millisecond; the agreement is found through \`${ORDINAL_TABLE}\` inside the locking read. App started with LOG_LEVEL=error, TIMER_SWEEP_INTERVAL_MS=0, OUTBOX_SEND_INTERVAL_MS=0 (no background sweeps or sends).`,
      '',
      table(results),
      '',
      ratioTable(results),
      ...pgbenchSection,
      '',
      '## Reading',
      '',
      reading(results),
      `- Load generator, app and PostgreSQL share the same ${os.availableParallelism()} CPU(s); numbers are for comparing paths on one machine, not capacity planning. pgbench is a C client: with 2 threads it uses far less CPU per transaction than Node, which leaves PostgreSQL more of the machine — that is the point of the ceiling, and also why it is higher than raw.`,
      '',
    ].join('\n');
    process.stdout.write(`\n${table(results)}\n\n${ratioTable(results)}\n${usesPgbench ? `\n${pgbenchSummary(pgbenchLevels)}\n` : ''}\n${reading(results)}\n`);
    await writeResults(markdown);
  } finally {
    await http?.close().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    if (started) await started.app.close().catch((error: unknown) => log(`app.close: ${String(error)}`));
    await db.drop().catch((error: unknown) => log(`DROP DATABASE: ${String(error)}`));
    if (db.embedded) await db.embedded.stop();
    if (db.tempDir) await fs.rm(db.tempDir, { recursive: true, force: true });
    if (pgbenchDir) await fs.rm(pgbenchDir, { recursive: true, force: true });
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
