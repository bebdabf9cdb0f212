import { agreementDefinition } from '@workflows/agreement/definition';
import { MACHINE_VERSION } from '@workflows/agreement/migrations';
import { calendarDateOf } from '@workflows/calendar/calendar';
import { step, type PersistedCase } from '@workflows/kernel/kernel';
import { DataSource } from 'typeorm';
import { canonicalJson } from '@app/audit/audit-chain';
import { createApp, type StartedApp } from '@app/bootstrap';
import { ClockService } from '@app/clock/clock.service';
import { JsonLogger } from '@app/logging/json-logger';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { cloneSignedAgreements, createSignedTemplate, verifyChains } from '@test/support/agreement-copies';
import { createTestDatabase, type TestDatabase } from '@test/support/database';

const OLD = 1_000;
const CURRENT = 1_000;
const NEWER = 50;

interface StoredRow {
  id: string;
  machine_version: number;
  state_value: PersistedCase['value'];
  context: Record<string, unknown>;
  state: string;
}

/**
 * T09, a rolling upgrade seen from the database: while instances of two versions share it, the
 * snapshots are of several machine versions at once. 1,000 agreements stored as version 1 (the
 * shape before follow-up and amendments), 1,000 as the current version and 50 written by a newer
 * version than this code knows, all with their start date due. Two service instances on the one
 * database sweep at once. Every
 * version-1 case is migrated as it is touched and ends exactly where the pure machine predicts;
 * the newer ones are refused, recorded on their timer rows, and block nothing.
 */
describe('T09: snapshots of every machine version under one sweep', () => {
  let db: TestDatabase;
  let started: StartedApp;
  /** A second instance on the same database, as during a rolling upgrade. */
  let second: StartedApp;
  const t = {
    get dataSource() {
      return started.app.get(DataSource);
    },
    get clock() {
      return started.app.get(ClockService);
    },
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    started = await createApp({
      env: { ...db.env, LOG_LEVEL: 'error', TIMER_SWEEP_INTERVAL_MS: '0', OUTBOX_SEND_INTERVAL_MS: '0', AUDIT_CHECKPOINT_INTERVAL_HOURS: '0', RETENTION_INTERVAL_MS: '0', TRUST_ACTOR_HEADER: 'on' },
      port: 0,
      logger: new JsonLogger('error', () => undefined),
    });
    started.app.get(ClockService).freeze(new Date('2024-12-01T08:00:00Z'));
    second = await createApp({
      env: { ...db.env, LOG_LEVEL: 'error', TIMER_SWEEP_INTERVAL_MS: '0', OUTBOX_SEND_INTERVAL_MS: '0', AUDIT_CHECKPOINT_INTERVAL_HOURS: '0', RETENTION_INTERVAL_MS: '0', TRUST_ACTOR_HEADER: 'on' },
      port: 0,
      logger: new JsonLogger('error', () => undefined),
    });
  });
  afterAll(async () => {
    await second?.app.close();
    await started?.app.close();
    await db?.drop();
  });

  it('migrates version-1 snapshots as their timers fire, to the state the pure machine predicts, and refuses a newer version without blocking the sweep', async () => {
    const template = await createSignedTemplate(started, { startDate: '2025-01-01', endDate: '2027-12-31' });
    const ids = await cloneSignedAgreements(db.url, template, { count: OLD + CURRENT + NEWER, timerDueAtSql: 'd.due' });
    const [old, current, newer] = [ids.slice(0, OLD), ids.slice(OLD, OLD + CURRENT), ids.slice(OLD + CURRENT)];
    {
      // Version 1 had no follow-up records, no amendments and no terms versions in its context.
      await t.dataSource.query(
        `UPDATE agreement SET machine_version = 1, context = context - 'followUps' - 'overdueFollowUps' - 'amendment' - 'termsVersions' WHERE id = ANY($1::uuid[])`,
        [old],
      );
      await t.dataSource.query(`UPDATE agreement SET machine_version = $2 WHERE id = ANY($1::uuid[])`, [newer, MACHINE_VERSION + 1]);
    }

    // What the pure machine says each stored case becomes when its start date is reached.
    const stored = await t.dataSource.query<StoredRow[]>(`SELECT id, machine_version, state_value, context, state FROM agreement WHERE id = ANY($1::uuid[])`, [[...old, ...current]]);
    const today = calendarDateOf(template.timer.dueAt.getTime());
    const predicted = new Map(
      stored.map((row) => {
        const result = step(agreementDefinition, { machineVersion: row.machine_version, value: row.state_value, context: row.context as never }, { type: 'START_DATE_REACHED', today } as never);
        if (!result.applied) throw new Error(`Den rena maskinen tar inte START_DATE_REACHED för ${row.id}`);
        return [row.id, { state: result.to, context: result.next.context }];
      }),
    );
    expect(stored.filter((r) => r.machine_version === 1)).toHaveLength(OLD);

    const due = new Date(template.timer.dueAt.getTime() + 60_000);
    t.clock.freeze(due);
    second.app.get(ClockService).freeze(due);
    // Two instances sweep at once, each claiming rows with SKIP LOCKED.
    const [a, b] = await Promise.all([started.app.get(TimerSweeperService).fireDue(), second.app.get(TimerSweeperService).fireDue()]);
    // Both sweeps took part; each timer was fired by one of them.
    expect(a.applied + b.applied).toBe(OLD + CURRENT + 1);
    expect(a.failed + b.failed).toBe(NEWER);

    const after = await t.dataSource.query<StoredRow[]>(`SELECT id, machine_version, state_value, context, state FROM agreement WHERE id = ANY($1::uuid[])`, [[...old, ...current]]);
    const wrong = after.filter((row) => {
      const expected = predicted.get(row.id);
      return row.machine_version !== MACHINE_VERSION || row.state !== expected?.state || canonicalJson(row.context) !== canonicalJson(expected.context);
    });
    // jsonb keeps no key order: compared as canonical JSON.
    expect(wrong.slice(0, 3).map((r) => ({ id: r.id, version: r.machine_version, state: r.state, expected: predicted.get(r.id)?.state }))).toEqual([]);
    expect(new Set(after.map((r) => r.state))).toEqual(new Set(['active']));

    // The newer snapshots are left as they were, their timers unfired with the reason on the row.
    const refused = await t.dataSource.query<Array<{ machine_version: number; state: string; attempts: number; last_error: string; fired_at: Date | null }>>(
      `SELECT a.machine_version, a.state, t.attempts, t.last_error, t.fired_at FROM agreement a JOIN case_timer t ON t.case_id = a.id AND t.event_type = 'START_DATE_REACHED' WHERE a.id = ANY($1::uuid[])`,
      [newer],
    );
    expect(refused).toHaveLength(NEWER);
    for (const row of refused) {
      expect(row).toMatchObject({ machine_version: MACHINE_VERSION + 1, state: 'signed', attempts: 1, fired_at: null });
      expect(row.last_error).toContain(`maskinversion ${MACHINE_VERSION + 1}`);
    }
    // Every chain the sweep wrote to is intact (the migrated cases' histories included).
    const chains = await verifyChains(db.url, [...old.slice(0, 100), ...current.slice(0, 100)]);
    expect(chains).toEqual({ checked: 200, broken: [] });
  }, 300_000);
});
