/**
 * The `pgbench` path of bench/engine.bench.ts: PostgreSQL's own load generator (Debian's
 * `postgresql-client`) running the engine's transaction for SEND_FOR_SIGNING ↔ RETURN_TO_DRAFT as
 * a custom script against the benchmark's database, so the ceiling is "the same statements with no
 * Node at all". Only Node built-ins and the audit chain's canonical JSON here.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { canonicalJson, CHAIN_VERSION } from '@app/audit/audit-chain';
import type { DriveResult } from './load';

/** pgbench's protocol modes this bench runs: `extended` = unnamed statements like `pg`/TypeORM, `prepared` = named, parsed once per connection. */
export type PgbenchMode = 'extended' | 'prepared';

export interface PgbenchTransaction {
  /** The engine's own locking read (`SELECT … FROM agreement k JOIN case_record c … FOR UPDATE OF k, c`, $1 = id, $2 = case type). */
  lockSql: string;
  /** Agreements by ordinal (bench_agreement_ordinal.ord = index in the benchmark's id list). */
  agreements: number;
  today: string;
  actor: { personId: string | null; name: string; organisationId: string | null; organisationName: string | null };
  /** The role the rules record for each event (the capacity used). */
  roles: { send: string; ret: string };
  returnOrganisationId: string;
  returnReason: string;
  /** The two signature reminders SEND_FOR_SIGNING plans (as the engine's planner does for `today`). */
  reminders: Array<{ kind: string; key: string; audience: string; sendAt: string; deadlineDate: string }>;
  /** The notices each step gives, per person, as the engine wrote them for a copy (`{{case}}` where the id stands). */
  notices: Record<'send' | 'ret', NoticeRow[]> & { domain: string };
}

/** One notice of a step, to one person, as the engine wrote it (`{{case}}` where the id stands). */
export interface NoticeRow {
  kind: string;
  recipient: string;
  recipientName: string | null;
  subject: string;
  text: string;
  html: string;
}

/**
 * The engine's notices for a step (src/notifications/agreement-notices.ts): the firmatecknare's
 * addresses (AgreementRepository.contactsInRole), who turned the kind off
 * (NoticePreferencesRepository.optedOut), and every row in one INSERT, keyed and Message-ID'd as
 * enqueueMessages does it, the id spliced into the bodies.
 */
function noticeSql(rows: NoticeRow[], domain: string): string {
  const withId = (text: string): string => `replace(${literal(text)}, '{{case}}', :aid::text)`;
  const values = rows.map((r) => `(${literal(r.kind)}, ${literal(r.recipient)}, ${nullable(r.recipientName)}, ${withId(r.subject)}, ${withId(r.text)}, ${withId(r.html)})`);
  return `SELECT p.email, p.name, m.organisation_id FROM agreement_member m JOIN person p ON p.id = m.person_id WHERE m.agreement_id = :aid AND m.role = 'signatory' ORDER BY p.email;
SELECT lower(p.email) AS email FROM notice_opt_out o JOIN person p ON p.id = o.person_id
 WHERE o.kind = ${literal(rows[0].kind)} AND lower(p.email) = ANY(ARRAY[${rows.map((r) => literal(r.recipient)).join(', ')}]::text[]);
INSERT INTO outbox_message (idempotency_key, message_id, case_id, kind, recipient, recipient_name, subject, text_body, html_body, ics, next_attempt_at, created_at, case_type)
SELECT k.key, '<' || left(encode(sha256(convert_to(k.key, 'UTF8')), 'hex'), 32) || ${literal(`@${domain}>`)}, :aid::uuid, v.kind, v.recipient, v.recipient_name, v.subject, v.text_body, v.html_body, NULL, now(), now(), 'agreement'
  FROM (VALUES ${values.join(', ')}) AS v (kind, recipient, recipient_name, subject, text_body, html_body)
  CROSS JOIN LATERAL (SELECT 'notice' || chr(58) || :aid::text || chr(58) || (:rv)::text || chr(58) || v.kind || chr(58) || v.recipient AS key) k
ON CONFLICT (idempotency_key) DO NOTHING;`;
}

export const ORDINAL_TABLE = 'bench_agreement_ordinal';

/**
 * A string literal pgbench leaves alone: pgbench takes `:name` as a variable anywhere in a
 * statement, string literals included (`HH24:MI`, `"reason":null`), so colons become `\x3a` in an
 * E'' literal — the same string for the server.
 */
export function literal(value: string): string {
  if (!/:[A-Za-z0-9_]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/:/g, '\\x3a')}'`;
}

/** Every '…' literal of `sql` through `literal` (the engine's SQL has no E'' strings of its own). */
function safeLiterals(sql: string): string {
  if (/E'/.test(sql)) throw new Error('pgbench: oväntad E-sträng i motorns SQL');
  return sql.replace(/'((?:[^']|'')*)'/g, (_m, body: string) => literal(body.replace(/''/g, "'")));
}

const nullable = (v: string | null): string => (v === null ? 'NULL' : literal(v));

/**
 * The hash the engine computes in JS (sha256 of the canonical JSON of the v2 chained fields),
 * computed in SQL: the fields that differ per row (case id, seq, occurred_at, prev hash) are
 * spliced into the canonical text the audit service would build, so `AuditService.verify` checks
 * pgbench's rows like everyone else's.
 */
function hashSql(fields: Record<string, unknown>, occurredAtSql: string): string {
  const marks = { caseId: '\u0001caseId\u0001', seq: '\u0001seq\u0001', occurredAt: '\u0001occurredAt\u0001', prevHash: '\u0001prevHash\u0001' };
  const text = canonicalJson({ ...fields, caseId: marks.caseId, seq: marks.seq, occurredAt: marks.occurredAt, prevHash: marks.prevHash });
  const splice: Record<string, string> = {
    [JSON.stringify(marks.caseId)]: `'"' || :aid::text || '"'`,
    [JSON.stringify(marks.seq)]: `(:nseq)::int::text`,
    [JSON.stringify(marks.occurredAt)]: `'"' || to_char(${occurredAtSql} AT TIME ZONE 'UTC', ${literal('YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')}) || '"'`,
    [JSON.stringify(marks.prevHash)]: `'"' || :audit_last_hash::text || '"'`,
  };
  const parts = text.split(/("\\u0001[a-zA-Z]+\\u0001")/);
  const sql = parts.map((part) => splice[part] ?? literal(part)).filter((p) => p !== "''");
  if (sql.length !== parts.filter((p) => p !== '').length || !Object.keys(splice).every((k) => parts.includes(k))) throw new Error('pgbench: kanonisk JSON gick inte att dela');
  return `encode(sha256(convert_to(${sql.join(' || ')}, 'UTF8')), 'hex')`;
}

/**
 * The script: one transaction per run of it, on a random agreement of the client's own slice
 * (client c of C owns ordinals [c·N/C, (c+1)·N/C), as bench/load.ts slices them), toggled by the
 * row's state under its lock, statement for statement what WorkflowEngineService.apply sends.
 */
export function pgbenchScript(tx: PgbenchTransaction, clients: number): string {
  const n = tx.agreements;
  const lock = tx.lockSql
    .replace(/^SELECT /, `SELECT k.id AS aid, (k.state = 'draft')::int AS to_signing, (k.context->>'signingRound')::int AS signing_round, `)
    .replace('k.id = $1', `k.id = (SELECT o.id FROM ${ORDINAL_TABLE} o WHERE o.ord = :ord)`)
    .replace('c.case_type = $2', `c.case_type = 'agreement'`);
  if (lock === tx.lockSql || /\$\d/.test(lock)) throw new Error(`pgbench: motorns låsande läsning har ändrat form: ${tx.lockSql}`);
  const occurredAt = `date_trunc('milliseconds', now())`;
  const base = {
    caseType: 'agreement',
    actorPersonId: tx.actor.personId,
    actorName: tx.actor.name,
    actorOrganisationId: tx.actor.organisationId,
    actorOrganisationName: tx.actor.organisationName,
    outcome: 'applied',
  };
  const send = { ...base, actorRole: tx.roles.send, eventType: 'SEND_FOR_SIGNING', payload: { effectiveOn: tx.today }, fromState: 'draft', toState: 'signing', reason: null };
  const ret = {
    ...base,
    actorRole: tx.roles.ret,
    eventType: 'RETURN_TO_DRAFT',
    payload: { organisationId: tx.returnOrganisationId, reason: tx.returnReason, effectiveOn: tx.today },
    fromState: 'signing',
    toState: 'draft',
    reason: tx.returnReason,
  };
  // The engine's append: the row after the head read under the lock, and case_record's head and summary moved in the same statement.
  const audit = (f: typeof send | typeof ret): string =>
    `WITH appended AS (
  INSERT INTO audit_event (case_id, seq, occurred_at, actor_person_id, actor_name, actor_role, actor_organisation_id, actor_organisation_name,
                           event_type, payload, from_state, to_state, reason, outcome, prev_hash, hash, case_type, chain_version)
  VALUES (:aid, :nseq, ${occurredAt}, ${nullable(f.actorPersonId)}, ${literal(f.actorName)}, ${literal(f.actorRole)}, ${nullable(f.actorOrganisationId)}, ${nullable(f.actorOrganisationName)},
          ${literal(f.eventType)}, ${literal(JSON.stringify(f.payload))}::jsonb, ${literal(f.fromState)}, ${literal(f.toState)}, ${nullable(f.reason)}, 'applied', :audit_last_hash,
          ${hashSql(f, occurredAt)}, 'agreement', ${CHAIN_VERSION})
  RETURNING id, seq, hash, occurred_at
), head AS (
  UPDATE case_record c SET audit_event_count = a.seq, audit_last_hash = a.hash, audit_updated_at = a.occurred_at,
    title = :title, reference = :diarienummer, state = '${f.toState}',
    updated_at = CASE WHEN (c.title, coalesce(c.reference, ''), c.state) IS DISTINCT FROM (:title, coalesce(:diarienummer, ''), '${f.toState}') THEN a.occurred_at ELSE c.updated_at END
   FROM appended a WHERE c.id = :aid AND c.audit_event_count = a.seq - 1 RETURNING c.id
)
SELECT id FROM appended;`;
  const reminderRows = tx.reminders
    .map((r) => `(${literal(r.kind)}::text, ${literal(r.key)}::text, (:signing_round + 1)::int, ${literal(r.audience)}::text, ${literal(r.sendAt)}::timestamptz, ${literal(r.deadlineDate)}::date)`)
    .join(',\n         ');
  const script = `-- The engine's transaction for SEND_FOR_SIGNING ↔ RETURN_TO_DRAFT (bench/pgbench.ts), ${clients} client(s) over ${n} agreements.
\\set ord random(:client_id * ${n} / ${clients}, (:client_id + 1) * ${n} / ${clients} - 1)
BEGIN;
${safeLiterals(lock)} \\gset
\\set rv :row_version + 1
\\if :to_signing
UPDATE agreement SET state_value = '"signing"'::jsonb,
  context = :context::jsonb || jsonb_build_object('signingSince', ${literal(tx.today)}, 'signingRound', :signing_round + 1, 'signatures', '[]'::jsonb, 'lastReturn', NULL),
  state = 'signing', row_version = :rv, updated_at = now() WHERE id = :aid;
\\else
UPDATE agreement SET state_value = '"draft"'::jsonb,
  context = :context::jsonb || jsonb_build_object('signatures', '[]'::jsonb, 'signingSince', NULL,
    'lastReturn', jsonb_build_object('organisationId', ${literal(tx.returnOrganisationId)}, 'reason', ${literal(tx.returnReason)}, 'on', ${literal(tx.today)})),
  state = 'draft', row_version = :rv, updated_at = now() WHERE id = :aid;
\\endif
SELECT title, diarienummer FROM agreement WHERE id = :aid \\gset
\\set nseq :audit_event_count + 1
\\if :to_signing
${audit(send)}
WITH cleared AS (DELETE FROM case_reminder WHERE case_id = :aid AND decided_at IS NULL)
INSERT INTO case_reminder (case_id, case_type, kind, reminder_key, cycle, audience, send_at, deadline_date, scheduled_in_state)
SELECT :aid::uuid, 'agreement'::text, v.kind, v.reminder_key, v.cycle, v.audience, v.send_at, v.deadline_date, 'signing'
  FROM (VALUES ${reminderRows}) AS v (kind, reminder_key, cycle, audience, send_at, deadline_date)
 WHERE NOT EXISTS (SELECT 1 FROM case_reminder d WHERE d.case_id = :aid AND d.reminder_key = v.reminder_key AND d.cycle = v.cycle AND d.decided_at IS NOT NULL);
\\else
${audit(ret)}
DELETE FROM case_reminder WHERE case_id = :aid AND decided_at IS NULL;
\\endif
\\if :to_signing
${noticeSql(tx.notices.send, tx.notices.domain)}
\\else
${noticeSql(tx.notices.ret, tx.notices.domain)}
\\endif
COMMIT;
`;
  // Every :name left must be one of the script's own variables (a stray one would be sent as a parameter).
  const allowed = new Set(['client_id', 'ord', 'aid', 'to_signing', 'signing_round', 'row_version', 'rv', 'context', 'title', 'diarienummer', 'audit_event_count', 'audit_last_hash', 'nseq']);
  // As pgbench reads them: one colon and a name is a variable; "::" (a cast) is skipped.
  const stray = [...script.matchAll(/(:+)([A-Za-z0-9_]*)/g)].filter((m) => m[1].length === 1 && m[2] !== '').map((m) => m[2]).filter((v) => !allowed.has(v));
  if (stray.length > 0) throw new Error(`pgbench: okända variabler i skriptet: ${[...new Set(stray)].join(', ')}`);
  return script;
}

export interface PgbenchRun extends DriveResult {
  /** pgbench's own figures for the whole run (warm-up included): "tps = … (without initial connection time)", "latency average", "latency stddev" (if printed). */
  reported: { tps: number; latencyAvgMs: number; latencyStddevMs: number; transactions: number };
  command: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')}: ${error.message}\n${stderr}\n${stdout}`));
      else resolve({ stdout, stderr });
    });
  });
}

export async function pgbenchVersion(binary: string): Promise<string> {
  return (await run(binary, ['--version'], process.env)).stdout.trim();
}

/** libpq's variables for a postgres:// URL, so the password is in no command line. */
export function pgEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  return {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username),
    PGPASSWORD: decodeURIComponent(u.password),
    PGDATABASE: decodeURIComponent(u.pathname.slice(1)),
    PGAPPNAME: 'engine-bench-pgbench',
  };
}

export const pgbenchArgs = (mode: PgbenchMode, scriptFile: string, clients: number, seconds: number, logPrefix: string): string[] => [
  '-n',
  `--protocol=${mode}`,
  `--file=${scriptFile}`,
  `--client=${clients}`,
  `--jobs=${Math.min(clients, 2)}`,
  `--time=${seconds}`,
  '--log',
  `--log-prefix=${logPrefix}`,
];

/**
 * One round: pgbench for whole seconds covering warm-up and window; the window is the last
 * `measureMs` before pgbench's deadline (first transaction start + --time), and, as in
 * bench/load.ts, a transaction counts if it completed inside it. Latencies from the per-transaction log.
 */
export async function runPgbench(opts: {
  binary: string;
  url: string;
  mode: PgbenchMode;
  scriptFile: string;
  clients: number;
  warmupMs: number;
  measureMs: number;
  workDir: string;
}): Promise<PgbenchRun> {
  const seconds = Math.max(1, Math.ceil((opts.warmupMs + opts.measureMs) / 1000));
  const logDir = await fs.mkdtemp(path.join(opts.workDir, 'log-'));
  const args = pgbenchArgs(opts.mode, opts.scriptFile, opts.clients, seconds, path.join(logDir, 'tx'));
  try {
    const { stdout } = await run(opts.binary, args, pgEnv(opts.url));
    const number = (re: RegExp): number => {
      const m = re.exec(stdout);
      return m ? Number(m[1]) : Number.NaN;
    };
    const reported = {
      tps: number(/^tps = ([\d.]+) \(without initial connection time\)/m),
      latencyAvgMs: number(/^latency average = ([\d.]+) ms/m),
      latencyStddevMs: number(/^latency stddev = ([\d.]+) ms/m),
      transactions: number(/^number of transactions actually processed: (\d+)/m),
    };
    if (Number.isNaN(reported.tps)) throw new Error(`pgbench: ingen tps i utskriften:\n${stdout}`);
    const failed = number(/^number of failed transactions: (\d+)/m);
    if (failed > 0) throw new Error(`pgbench: ${failed} misslyckade transaktioner:\n${stdout}`);
    // client_id transaction_no time_us script_no time_epoch time_us (completion), one file per thread.
    const done: Array<{ end: number; latency: number }> = [];
    for (const name of await fs.readdir(logDir)) {
      for (const line of (await fs.readFile(path.join(logDir, name), 'utf8')).split('\n')) {
        if (!line) continue;
        const f = line.split(' ');
        const latency = Number(f[2]) / 1000;
        const end = Number(f[4]) * 1000 + Number(f[5]) / 1000;
        if (!Number.isFinite(latency) || !Number.isFinite(end)) throw new Error(`pgbench: oläslig loggrad: ${line}`);
        done.push({ end, latency });
      }
    }
    if (done.length !== reported.transactions) throw new Error(`pgbench: ${done.length} loggrader men ${reported.transactions} transaktioner`);
    const first = Math.min(...done.map((d) => d.end - d.latency));
    const stopAt = first + seconds * 1000;
    const measureFrom = stopAt - opts.measureMs;
    const latencies = Float64Array.from(done.filter((d) => d.end >= measureFrom && d.end <= stopAt).map((d) => d.latency));
    return { latencies, windowMs: opts.measureMs, reported, command: `pgbench ${args.join(' ')}` };
  } finally {
    await fs.rm(logDir, { recursive: true, force: true });
  }
}
