/**
 * Where an engine transition's time goes (companion to engine.bench.ts, not a jest test):
 *   npx ts-node -r tsconfig-paths/register --transpile-only bench/engine.profile.ts
 * Prints the SQL one WorkflowEngineService.apply() issues, then, for N sequential transitions on
 * the engine and the raw path, the wall time split into "waiting for a pg query" and "the rest"
 * (JS on the event loop), and the cost of the pure machine calls the engine makes per transition.
 * Uses DATABASE_URL or an embedded PostgreSQL, like the benchmark. PROFILE_TRANSITIONS (default 500).
 */
import 'reflect-metadata';
import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import type { StartedApp } from '@app/bootstrap';
import { Agreement } from '@app/agreements/agreement.entity';
import { ClockService } from '@app/clock/clock.service';
import { WorkflowEngineService } from '@app/workflow-engine/workflow-engine.service';
import * as deadlines from '@workflows/agreement/deadlines';
import * as persistence from '@workflows/agreement/persistence';
import * as hashing from '@app/audit/audit-chain';
import { AuditService } from '@app/audit/audit.service';
import type { AgreementEvent } from '@workflows/agreement/types';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuditEvent } from '@app/audit/audit-event.entity';
import { CaseTimer } from '@app/timers/case-timer.entity';
import { enginePath, openDatabase, rawPath, seed, type BenchDatabase, type Fixture } from './engine.bench';
import { drive, slicesFor } from './load';
import { startQuietApp } from './app';

const N = Number(process.env.PROFILE_TRANSITIONS ?? 500);

interface Recorded {
  sql: string;
  ms: number;
}

/** Wraps pg's Client#query (TypeORM and the raw path both end there) to time every statement. */
function instrumentPg(): { start(): void; stop(): Recorded[] } {
  let recording: Recorded[] | null = null;
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: Client, ...args: unknown[]): unknown {
    // Timed from the call: pg writes the statement to the socket synchronously inside query().
    const t0 = performance.now();
    const result = original.apply(this, args);
    const into = recording;
    if (into && result instanceof Promise) {
      const first = args[0];
      const sql = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '?');
      result.then(
        () => into.push({ sql, ms: performance.now() - t0 }),
        () => into.push({ sql: `FAILED ${sql}`, ms: performance.now() - t0 }),
      );
    }
    return result;
  };
  return {
    start() {
      recording = [];
    },
    stop() {
      const out = recording ?? [];
      recording = null;
      return out;
    },
  };
}

/** Inclusive wall time of named calls while recording (sequential runs only: nested calls overlap). */
const phases = new Map<string, { n: number; ms: number }>();
let phasesOn = false;
function timeCalls(owner: object, method: string, label: (args: unknown[]) => string): void {
  const target = owner as Record<string, (...args: unknown[]) => unknown>;
  const original = target[method];
  target[method] = function (this: unknown, ...args: unknown[]): unknown {
    if (!phasesOn) return original.apply(this, args);
    const t0 = performance.now();
    const add = (): void => {
      const key = label(args);
      const e = phases.get(key) ?? { n: 0, ms: 0 };
      e.n += 1;
      e.ms += performance.now() - t0;
      phases.set(key, e);
    };
    const result = original.apply(this, args);
    if (result instanceof Promise) return result.finally(add);
    add();
    return result;
  };
}
const nameOf = (target: unknown): string =>
  typeof target === 'function' ? target.name : typeof target === 'object' && target !== null ? target.constructor.name : String(target);

const oneLine = (sql: string): string => sql.replace(/\s+/g, ' ').trim();
const short = (sql: string): string => {
  const s = oneLine(sql);
  return s.length > 150 ? `${s.slice(0, 147)}...` : s;
};

async function timeSequential(label: string, count: number, op: (index: number) => Promise<void>, pg: ReturnType<typeof instrumentPg>, offset: number) {
  for (let i = 0; i < 50; i++) await op(offset + (i % count)); // warm-up
  pg.start();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await op(offset + (i % count));
  const wall = performance.now() - t0;
  const queries = pg.stop();
  const inPg = queries.reduce((s, q) => s + q.ms, 0);
  const per = (ms: number): string => `${(ms / N).toFixed(3)} ms`;
  process.stdout.write(
    `${label.padEnd(7)} ${per(wall)} per transition = ${per(inPg)} waiting for ${(queries.length / N).toFixed(1)} pg queries + ${per(wall - inPg)} other (JS)\n`,
  );
  const bySql = new Map<string, { n: number; ms: number }>();
  for (const q of queries) {
    const key = short(q.sql).replace(/\$\d+/g, '$');
    const e = bySql.get(key) ?? { n: 0, ms: 0 };
    e.n += 1;
    e.ms += q.ms;
    bySql.set(key, e);
  }
  for (const [sql, e] of [...bySql].sort((a, b) => b[1].ms - a[1].ms)) {
    process.stdout.write(`   ${(e.ms / N).toFixed(3)} ms  ${(e.n / N).toFixed(1)}×  ${sql.slice(0, 120)}\n`);
  }
}

/**
 * What apply() could cost with the suggested changes, to size them (NOT the engine; src/ is
 * untouched). Same pure functions, same rows, same hash chain; differs only in how it talks to
 * the database:
 *   - the locked row is read once (no second SELECT from repo.save's reload) and written with an
 *     UPDATE of the changed columns (manager.update instead of repo.save);
 *   - the chain head is read as `seq, hash` only and the audit row is inserted with insert(), not save();
 *   - the timer DELETE is skipped when the machine had no timers before and has none after.
 */
function leanPath(dataSource: DataSource, clock: ClockService, fx: Fixture, states: Uint8Array, narrowLock = false) {
  return async (index: number): Promise<void> => {
    const id = fx.ids[index];
    const signing = states[index] === 1;
    const command = signing
      ? ({ type: 'RETURN_TO_DRAFT', organisationId: fx.organisationId, reason: 'Prestandamätning: tillbaka till utkast' } as const)
      : ({ type: 'SEND_FOR_SIGNING' } as const);
    await dataSource.transaction(async (manager) => {
      // narrowLock: read only what the step needs, as plain SQL through the same manager.
      const agreement = narrowLock
        ? ((
            await manager.query<Array<Pick<Agreement, 'machineVersion' | 'stateValue' | 'context' | 'rowVersion'>>>(
              'SELECT machine_version AS "machineVersion", state_value AS "stateValue", context, row_version AS "rowVersion" FROM agreement WHERE id = $1 FOR UPDATE',
              [id],
            )
          )[0] ?? null)
        : await manager.findOne(Agreement, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!agreement) throw new Error('saknas');
      const today = clock.today();
      const before = { machineVersion: agreement.machineVersion, value: agreement.stateValue, context: agreement.context };
      const result = persistence.step(before, { ...command, today });
      if (!result.applied) throw new Error(`vägrad: ${result.reason}`);
      const next = deadlines.nextDeadlineOf(result.next);
      await manager.update(Agreement, { id }, {
        stateValue: result.next.value,
        context: result.next.context,
        state: result.to,
        rowVersion: agreement.rowVersion + 1,
        nextDeadlineAt: next ? new Date(next.firesAt) : null,
        nextDeadlineKind: next?.kind ?? null,
        nextDeadlineDate: next?.dueDate ?? null,
      });
      const [head] = await manager.query<{ seq: number; hash: string }[]>(
        'SELECT seq, hash FROM audit_event WHERE case_id = $1 ORDER BY seq DESC LIMIT 1',
        [id],
      );
      const payload = JSON.parse(JSON.stringify(signing ? { organisationId: fx.organisationId, reason: command.type === 'RETURN_TO_DRAFT' ? command.reason : null, effectiveOn: today } : { effectiveOn: today })) as Record<string, unknown>;
      const fields: hashing.ChainedFields = {
        agreementId: id,
        seq: (head?.seq ?? 0) + 1,
        occurredAt: clock.now().toISOString(),
        actorPersonId: fx.actor.personId,
        actorName: fx.actor.name,
        actorRole: fx.actor.role,
        actorOrganisationId: fx.actor.organisationId,
        actorOrganisationName: fx.actor.organisationName,
        eventType: command.type,
        payload,
        fromState: result.from,
        toState: result.to,
        reason: command.type === 'RETURN_TO_DRAFT' ? command.reason : null,
        outcome: 'applied',
        prevHash: head?.hash ?? hashing.GENESIS_HASH,
      };
      const row = manager.create(AuditEvent, { ...fields, payload, outcome: 'applied', occurredAt: new Date(fields.occurredAt), hash: hashing.hashOf(fields) });
      await manager.insert(AuditEvent, row as never);
      const timersAfter = deadlines.timersOf(result.next);
      if (deadlines.timersOf(before).length > 0 || timersAfter.length > 0) {
        await manager.delete(CaseTimer, { caseId: id, firedAt: IsNull() });
        // (a real change would insert timersAfter here, as replaceTimers does)
      }
    });
    states[index] = signing ? 0 : 1;
  };
}

async function main(): Promise<void> {
  const pg = instrumentPg();
  const db: BenchDatabase = await openDatabase();
  let started: StartedApp | undefined;
  let pool: Pool | undefined;
  try {
    started = await startQuietApp(db.url);
    const { app } = started;
    const count = 2000;
    const fx = await seed(started, db.url, count);
    const states = new Uint8Array(count);
    const engine = app.get(WorkflowEngineService);

    pg.start();
    await engine.apply({ type: 'agreement', id: fx.ids[0] }, { type: 'SEND_FOR_SIGNING' }, fx.actor);
    states[0] = 1;
    process.stdout.write('SQL of one engine.apply(SEND_FOR_SIGNING):\n');
    for (const q of pg.stop()) process.stdout.write(`  ${q.ms.toFixed(2).padStart(6)} ms  ${short(q.sql)}\n`);
    process.stdout.write('\n');

    pool = new Pool({ connectionString: db.url, max: 16 });
    // Separate halves so each path alternates its own agreements.
    await timeSequential('raw', count / 2, rawPath(pool, app.get(ClockService), fx, states, app), pg, count / 2);
    await timeSequential('engine', count / 2 - 1, enginePath(engine, fx, states), pg, 1);
    const lean = leanPath(app.get(DataSource), app.get(ClockService), fx, states);
    await timeSequential('lean', count / 2 - 1, lean, pg, 1);
    const leaner = leanPath(app.get(DataSource), app.get(ClockService), fx, states, true);
    await timeSequential('lean+', count / 2 - 1, leaner, pg, 1);

    // Throughput at 4 clients, 3 s each, disjoint slices of all agreements.
    process.stdout.write('\nThroughput, 4 clients, 3 s each (0.5 s warm-up):\n');
    const raw = rawPath(pool, app.get(ClockService), fx, states, app);
    const engineOp = enginePath(engine, fx, states);
    for (const [label, op] of [['raw', raw], ['engine', engineOp], ['lean', lean], ['lean+', leaner], ['raw', raw], ['engine', engineOp]] as const) {
      const r = await drive(slicesFor(count, 4), 500, 3000, op);
      process.stdout.write(`  ${label.padEnd(7)} ${Math.round(r.latencies.length / 3)}/s\n`);
    }

    // Inclusive wall time of the engine's parts (same agreements, sequential).
    timeCalls(WorkflowEngineService.prototype, 'apply', () => 'engine.apply (total)');
    timeCalls(DataSource.prototype, 'transaction', () => ' dataSource.transaction');
    timeCalls(EntityManager.prototype, 'findOne', (a) => `  manager.findOne(${nameOf(a[0])})`);
    timeCalls(EntityManager.prototype, 'save', (a) => `  manager.save(${nameOf(a[0])})`);
    timeCalls(EntityManager.prototype, 'update', (a) => `  manager.update(${nameOf(a[0])})`);
    timeCalls(EntityManager.prototype, 'insert', (a) => `  manager.insert(${nameOf(a[0])})`);
    timeCalls(EntityManager.prototype, 'delete', (a) => `  manager.delete(${nameOf(a[0])})`);
    timeCalls(AuditService.prototype, 'append', () => '  audit.append');
    timeCalls(WorkflowEngineService.prototype, 'replaceTimers', () => '  engine.replaceTimers');
    timeCalls(persistence, 'step', () => '  step()');
    timeCalls(deadlines, 'deadlinesOf', () => '  deadlinesOf()');
    timeCalls(hashing, 'hashOf', () => '   hashOf()');
    const op = enginePath(engine, fx, states);
    phasesOn = true;
    for (let i = 0; i < N; i++) await op(1 + (i % (count / 2 - 1)));
    phasesOn = false;
    process.stdout.write('\nengine.apply, inclusive wall time per transition (nested rows are part of their parent):\n');
    for (const [key, e] of [...phases].sort((a, b) => b[1].ms - a[1].ms)) {
      process.stdout.write(`  ${(e.ms / N).toFixed(3).padStart(7)} ms  ${(e.n / N).toFixed(1)}×  ${key}\n`);
    }

    // The pure work apply() does per transition: step() (restore + can + transition) and
    // snapshotColumns()/replaceTimers() calling nextDeadlineOf/timersOf (each restores again).
    const row = await app.get(DataSource).getRepository(Agreement).findOneByOrFail({ id: fx.ids[1] });
    const persisted = { machineVersion: row.machineVersion, value: row.stateValue, context: row.context };
    const event = (row.state === 'draft'
      ? { type: 'SEND_FOR_SIGNING', today: '2025-01-01' }
      : { type: 'RETURN_TO_DRAFT', organisationId: fx.organisationId, reason: 'x', today: '2025-01-01' }) as AgreementEvent;
    const time = (label: string, fn: () => unknown): void => {
      for (let i = 0; i < 200; i++) fn();
      const t0 = performance.now();
      for (let i = 0; i < 2000; i++) fn();
      process.stdout.write(`  ${label.padEnd(22)} ${((performance.now() - t0) / 2000).toFixed(3)} ms\n`);
    };
    process.stdout.write('\nPure machine work per call (in memory):\n');
    let next = persisted;
    time('step()', () => {
      const r = persistence.step(persisted, event);
      if (r.applied) next = r.next;
    });
    time('nextDeadlineOf(next)', () => deadlines.nextDeadlineOf(next));
    time('timersOf(next)', () => deadlines.timersOf(next));
  } finally {
    await pool?.end().catch(() => undefined);
    if (started) await started.app.close().catch(() => undefined);
    await db.drop().catch(() => undefined);
    if (db.embedded) await db.embedded.stop();
    if (db.tempDir) await fs.rm(db.tempDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
