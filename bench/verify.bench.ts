/**
 * Verifier benchmark (not a jest test): `npm run bench:verify`.
 *
 * Fills a throwaway database with BENCH_AUDIT_ROWS (1,160,000) valid audit rows in
 * BENCH_AUDIT_CASES (100,000) chains, half of each hashed in version 1 and half in version 2, and
 * signs a checkpoint over them (in a child process), then starts the built service (`npm run build`
 * first) on it, calls GET /audit/verify once as an auditor and reports rows/s and the service's
 * RSS at rest and at its peak (VmHWM, so Linux only).
 *
 * Environment: DATABASE_URL of a server whose role may create databases (else an embedded
 * PostgreSQL in a temp dir), BENCH_AUDIT_ROWS, BENCH_AUDIT_CASES, AUDIT_READ_BATCH_ROWS (5000, passed on),
 * BENCH_KEEP=1 to keep the database (its URL is printed), BENCH_DATABASE=<url> to measure a kept one again.
 */
import 'reflect-metadata';
import { fork, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { GENESIS_HASH, hashOf } from '@app/audit/audit-chain';
import { chainedFieldsOf } from '@app/audit/audit.service';
import { AuditCheckpointService } from '@app/audit/audit-checkpoint.service';
import { startEmbeddedPostgres } from '@app/database/embedded-postgres';
import { startQuietApp } from './app';

const ROWS = Number(process.env.BENCH_AUDIT_ROWS ?? 1_160_000);
const CASES = Number(process.env.BENCH_AUDIT_CASES ?? 100_000);
const INSERT_ROWS = 5000;
const ROOT = path.resolve(__dirname, '..');

function databaseUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The child: every row hashed as the service hashes it, inserted 5000 a statement, then one signed checkpoint. */
async function seed(url: string): Promise<void> {
  const app = await startQuietApp(url, { DATA_DIR: path.join(ROOT, '.data') });
  const c = new Client({ connectionString: url });
  await c.connect();
  const perCase = Math.floor(ROWS / CASES);
  let extra = ROWS - perCase * CASES;
  const columns = {
    case_type: [] as string[], case_id: [] as string[], chain_version: [] as number[], seq: [] as number[], occurred_at: [] as string[],
    actor_name: [] as string[], event_type: [] as string[], payload: [] as string[], from_state: [] as string[], to_state: [] as string[],
    reason: [] as Array<string | null>, prev_hash: [] as string[], hash: [] as string[],
  };
  const heads: Array<[string, number, string]> = [];
  const flush = async () => {
    if (columns.seq.length === 0) return;
    await c.query(
      `INSERT INTO audit_event (case_type, case_id, chain_version, seq, occurred_at, actor_person_id, actor_name, actor_role, actor_organisation_id,
                                actor_organisation_name, event_type, payload, from_state, to_state, reason, outcome, prev_hash, hash)
       SELECT t.case_type, t.case_id, t.chain_version, t.seq, t.occurred_at, NULL, t.actor_name, 'secretariat', NULL, 'Kommunen', t.event_type,
              t.payload::jsonb, t.from_state, t.to_state, t.reason, 'applied', t.prev_hash, t.hash
         FROM unnest($1::text[], $2::uuid[], $3::smallint[], $4::integer[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                     $11::text[], $12::text[], $13::text[])
           AS t(case_type, case_id, chain_version, seq, occurred_at, actor_name, event_type, payload, from_state, to_state, reason, prev_hash, hash)`,
      Object.values(columns),
    );
    for (const list of Object.values(columns)) list.length = 0;
  };
  const started = performance.now();
  for (let n = 0; n < CASES; n += 1) {
    const id = randomUUID();
    const length = perCase + (extra > 0 ? 1 : 0);
    if (extra > 0) extra -= 1;
    await c.query(`INSERT INTO case_record (id, case_type, title, state) VALUES ($1, 'agreement', $2, 'active')`, [id, `Överenskommelse ${n}`]);
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= length; seq += 1) {
      const row = {
        caseType: 'agreement', caseId: id, chainVersion: seq <= length / 2 ? 1 : 2, seq,
        occurredAt: new Date(Date.UTC(2023, 0, 1) + n * 60_000 + seq * 1000),
        actorPersonId: null, actorName: 'Karin Ek', actorRole: 'secretariat', actorOrganisationId: null, actorOrganisationName: 'Kommunen',
        eventType: seq === 1 ? 'CREATE' : 'SEND_FOR_SIGNING',
        payload: { type: 'SEND_FOR_SIGNING', version: seq, note: 'Skickad för underskrift till parterna', parties: [{ organisationId: id, signed: false }] },
        fromState: 'draft', toState: 'signing', reason: seq % 5 === 0 ? 'Ändrade villkor' : null, outcome: 'applied' as const, prevHash,
      };
      const hash = hashOf(chainedFieldsOf(row));
      columns.case_type.push(row.caseType); columns.case_id.push(id); columns.chain_version.push(row.chainVersion); columns.seq.push(seq);
      columns.occurred_at.push(row.occurredAt.toISOString()); columns.actor_name.push(row.actorName); columns.event_type.push(row.eventType);
      columns.payload.push(JSON.stringify(row.payload)); columns.from_state.push(row.fromState); columns.to_state.push(row.toState);
      columns.reason.push(row.reason); columns.prev_hash.push(prevHash); columns.hash.push(hash);
      prevHash = hash;
      if (columns.seq.length >= INSERT_ROWS) await flush();
    }
    heads.push([id, length, prevHash]);
    if (heads.length >= INSERT_ROWS || n === CASES - 1) {
      await flush();
      await c.query(
        `UPDATE case_record c SET audit_event_count = t.n, audit_last_hash = t.h, audit_updated_at = now()
           FROM unnest($1::uuid[], $2::integer[], $3::text[]) AS t(id, n, h) WHERE c.id = t.id`,
        [heads.map((h) => h[0]), heads.map((h) => h[1]), heads.map((h) => h[2])],
      );
      heads.length = 0;
    }
  }
  await c.query(`VACUUM ANALYZE audit_event`);
  await c.query(`VACUUM ANALYZE case_record`);
  await c.end();
  await app.app.get(AuditCheckpointService).create('bench');
  await app.app.close();
  console.log(`fyllt: ${ROWS} rader i ${CASES} kedjor och en kontrollpunkt (${Math.round((performance.now() - started) / 1000)} s)`);
}

/** Peak and current RSS of a process in MB (Linux: /proc/<pid>/status). */
async function rssOf(pid: number): Promise<{ peak: number; now: number }> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peak: Math.round(kb('VmHWM') / 1024), now: Math.round(kb('VmRSS') / 1024) };
}

/** The built service (`npm run build`) on the filled database, /audit/verify called once as an auditor over HTTP. */
async function measure(url: string): Promise<void> {
  const main = path.join(ROOT, 'dist', 'src', 'main.js');
  if (!existsSync(main)) throw new Error('Bygg tjänsten först: npm run build');
  const auditor = randomUUID();
  const c = new Client({ connectionString: url });
  await c.connect();
  const organisation = randomUUID();
  await c.query(`INSERT INTO organisation (id, name, organisation_number, kind) VALUES ($1, 'Kommunen', '212000-' || lpad((floor(random() * 9999))::int::text, 4, '0'), 'municipality')`, [organisation]);
  await c.query(`INSERT INTO person (id, name, email, organisation_id) VALUES ($1, 'Revisor', $2, $3)`, [auditor, `revisor-${auditor}@example.se`, organisation]);
  await c.query(`INSERT INTO account (person_id, roles) VALUES ($1, '{auditor}')`, [auditor]);
  await c.end();
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const server = spawn(process.execPath, ['-r', 'tsconfig-paths/register', main], {
    cwd: ROOT,
    env: {
      ...process.env, TS_NODE_BASEURL: './dist', DATABASE_URL: url, ALLOW_PRIVILEGED_DATABASE_ROLE: 'on', TRUST_ACTOR_HEADER: 'on', PORT: String(port), LOG_LEVEL: 'error',
      AUDIT_CHECKPOINT_INTERVAL_HOURS: '0', TIMER_SWEEP_INTERVAL_MS: '0', OUTBOX_SEND_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0', DEMO_DATA: 'off',
      DATA_DIR: path.join(ROOT, '.data'),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  server.on('exit', (code, signal) => console.error(`tjänsten avslutades: ${code ?? signal}`));
  try {
    for (let i = 0; ; i += 1) {
      if ((await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok) break;
      if (i > 120) throw new Error('tjänsten startade inte');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const idle = await rssOf(server.pid!);
    const t0 = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/audit/verify`, { headers: { 'x-person-id': auditor } });
    const body = await response.text();
    const seconds = (performance.now() - t0) / 1000;
    const after = await rssOf(server.pid!);
    const report = JSON.parse(body) as { intact: boolean; eventsChecked: number; agreementsChecked: number; checkpoint: { signatureValid: boolean } | null };
    if (response.status !== 200 || report.eventsChecked !== ROWS || report.checkpoint?.signatureValid !== true) throw new Error(`oväntat: ${response.status} ${body.slice(0, 500)}`);
    console.log(
      `verifierat: ${report.eventsChecked} rader i ${report.agreementsChecked} kedjor på ${seconds.toFixed(1)} s = ${Math.round(report.eventsChecked / seconds)} rader/s; ` +
        `tjänstens RSS ${idle.now} MB i vila, högst ${after.peak} MB (svaret ${(body.length / 1048576).toFixed(1)} MB JSON); hel: ${report.intact}`,
    );
  } finally {
    server.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'seed') return seed(process.argv[3]);
  if (process.env.BENCH_DATABASE) return measure(process.env.BENCH_DATABASE);
  let server = process.env.DATABASE_URL;
  const embedded = server === undefined ? await startEmbeddedPostgres({ databaseDir: path.join(os.tmpdir(), `iop-bench-verify-${process.pid}`), fast: true }) : undefined;
  server ??= embedded!.url;
  const name = `iop_bench_verify_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = databaseUrl(server, name);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = fork(__filename, ['seed', url], { execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'], stdio: 'inherit' });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`fyllningen avslutades med ${code}`))));
    });
    await measure(url);
  } finally {
    if (process.env.BENCH_KEEP === '1') console.log(`databasen finns kvar: ${url}`);
    else await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
