/**
 * Issue 4: deadlines fire exactly once when several service processes sweep one database, and a
 * process killed in the middle of a sweep leaves nothing half-applied.
 *
 * The service runs as real OS processes (test/support/service-process.ts). Their clock is the
 * system clock: CLOCK_START is only applied together with demo data (src/demo/demo-seeder.service.ts),
 * so the agreements' start date lies 40 days before today and their next deadline years ahead.
 */
import { Client } from 'pg';
import { createApp } from '@app/bootstrap';
import { ClockService } from '@app/clock/clock.service';
import { JsonLogger } from '@app/logging/json-logger';
import { calendarDateOf } from '@workflows/calendar/calendar';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { ACTOR_HEADER } from '@app/auth/actor.resolver';
import { startServiceProcess, type ServiceProcess } from '@test/support/service-process';
import { SmtpSink } from '@test/support/smtp-sink';
import { cloneSignedAgreements, createSignedTemplate, type SignedTemplate } from '@test/support/agreement-copies';

const DAY = 86_400_000;
const APP_NAME = 'iop-lifecycle-engine';

/** Agreements copied for the SIGKILL test; the restart fires what is left at ~100/s on a shared 2-core VM. */
const COPIES_KILLED = 2000;

jest.setTimeout(120_000);

interface Prepared {
  db: TestDatabase;
  template: SignedTemplate;
  /** The template and its copies, all 'signed', none with a timer yet (see arm). */
  ids: string[];
}

const processes: ServiceProcess[] = [];
const databases: TestDatabase[] = [];
const clients: Client[] = [];

afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill('SIGKILL').catch(() => undefined)));
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  for (const db of databases) await db.drop().catch(() => undefined);
});

async function start(db: TestDatabase, name: string, logLevel: 'warn' | 'info' = 'warn'): Promise<ServiceProcess> {
  const p = await startServiceProcess({ databaseUrl: db.appUrl, migrationDatabaseUrl: db.ownerUrl, name, logLevel, timerSweepIntervalMs: 50, clockStart: new Date().toISOString() });
  processes.push(p);
  return p;
}

/**
 * A fresh database (migrated by an in-process app, so the processes find nothing to migrate), one
 * Bromodellen signed through the API with the clock before its start date, and `copies` SQL copies
 * of it with valid hash chains. The timers are inserted later by arm(), once the processes run.
 */
async function prepare(copies: number): Promise<Prepared> {
  const db = await createTestDatabase();
  databases.push(db);
  const started = await createApp({
    env: { ...db.env, LOG_LEVEL: 'error', TIMER_SWEEP_INTERVAL_MS: '0', TRUST_ACTOR_HEADER: 'on' },
    port: 0,
    logger: new JsonLogger('error', () => undefined),
  });
  let template: SignedTemplate;
  try {
    const startDate = calendarDateOf(Date.now() - 40 * DAY);
    const endDate = `${Number(startDate.slice(0, 4)) + 3}-12-31`;
    started.app.get(ClockService).freeze(new Date(Date.now() - 100 * DAY));
    template = await createSignedTemplate(started, { startDate, endDate });
  } finally {
    await started.app.close();
  }
  const sql = await connect(db);
  await sql.query(`DELETE FROM case_timer WHERE case_id = $1 AND fired_at IS NULL`, [template.id]);
  // The template's notices (its initiative, signing) belong to its history only: the copies have none, and each agreement must count alike.
  await sql.query(`DELETE FROM outbox_message WHERE case_id = $1 AND idempotency_key LIKE 'notice:%'`, [template.id]);
  const copyIds = await cloneSignedAgreements(db.url, template, { count: copies, timerDueAtSql: null });
  return { db, template, ids: [template.id, ...copyIds] };
}

async function connect(db: TestDatabase): Promise<Client> {
  const client = new Client({ connectionString: db.url, application_name: 'multi-instance-test' });
  await client.connect();
  clients.push(client);
  return client;
}

/** Gives every agreement the template's START_DATE_REACHED timer, due `spreadSeconds` apart (0: one instant). */
async function arm(sql: Client, prepared: Prepared, spreadSeconds: number): Promise<void> {
  const t = prepared.template.timer;
  await sql.query(
    `INSERT INTO case_timer (case_id, case_type, kind, cycle, due_date, due_at, event_type, scheduled_in_state)
     SELECT n.id, 'agreement', $2, $3, $4::date, $5::timestamptz + ((n.i - 1) % 3600) * $8 * interval '1 second', $6, $7
       FROM unnest($1::uuid[]) WITH ORDINALITY AS n(id, i)`,
    [prepared.ids, t.kind, t.cycle, t.dueDate, t.dueAt, t.eventType, t.scheduledInState, spreadSeconds],
  );
}

/** SIGTERM: Nest's shutdown hooks close the app and re-raise the signal (so no exit code 0); anything but our SIGKILL fallback is fine. */
async function stopGracefully(p: ServiceProcess): Promise<void> {
  const exit = await p.kill('SIGTERM');
  expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
}

const t0 = Date.now();
const mark = (what: string): void => {
  process.stdout.write(`[multi-instance] ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}\n`);
};

async function waitFor<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Väntade förgäves (${timeoutMs} ms) på ${what}; senast: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

const dueUnfired = async (sql: Client): Promise<number> =>
  (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_timer WHERE fired_at IS NULL AND due_at <= now()`)).rows[0].n;

/**
 * Each agreement reduced to one line: state, row version relative to the signed template, its
 * START_DATE_REACHED timers (fired/applied/unfired) and START_DATE_REACHED audit rows. Returns how
 * many agreements share each line.
 */
async function shapes(sql: Client, prepared: Prepared): Promise<Record<string, number>> {
  const { rows } = await sql.query<{ shape: string; n: number }>(
    `SELECT concat_ws(' ', a.state, 'v+' || (a.row_version - $2),
              'fired=' || (SELECT count(*) FROM case_timer t WHERE t.case_id = a.id AND t.event_type = 'START_DATE_REACHED' AND t.fired_at IS NOT NULL),
              'applied=' || (SELECT count(*) FROM case_timer t WHERE t.case_id = a.id AND t.event_type = 'START_DATE_REACHED' AND t.outcome = 'applied'),
              'unfired=' || (SELECT count(*) FROM case_timer t WHERE t.case_id = a.id AND t.event_type = 'START_DATE_REACHED' AND t.fired_at IS NULL),
              'audit=' || (SELECT count(*) FROM audit_event e WHERE e.case_id = a.id AND e.event_type = 'START_DATE_REACHED')) AS shape,
            count(*)::int AS n
       FROM agreement a WHERE a.id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`,
    [prepared.ids, prepared.template.rowVersion],
  );
  return Object.fromEntries(rows.map((r) => [r.shape, r.n]));
}

const ACTIVE_ONCE = 'active v+1 fired=1 applied=1 unfired=0 audit=1';
const UNTOUCHED = 'signed v+0 fired=0 applied=0 unfired=1 audit=0';

async function auditVerify(p: ServiceProcess, asPersonId: string): Promise<{ intact: boolean; agreementsChecked: number; eventsChecked: number; breaks: unknown[] }> {
  const response = await fetch(`${p.url}/audit/verify`, { headers: { [ACTOR_HEADER]: asPersonId } });
  expect(response.status).toBe(200);
  return (await response.json()) as { intact: boolean; agreementsChecked: number; eventsChecked: number; breaks: unknown[] };
}

/** What one process's sweeper logged as fired ("Bevakning: N datum hanterade, M överhoppade."), at LOG_LEVEL=info. */
function firedBy(p: ServiceProcess): { applied: number; skipped: number } {
  const total = { applied: 0, skipped: 0 };
  for (const entry of p.logEntries()) {
    const match = typeof entry.msg === 'string' ? /^Bevakning: (\d+) datum hanterade, (\d+) överhoppade/.exec(entry.msg) : null;
    if (match) {
      total.applied += Number(match[1]);
      total.skipped += Number(match[2]);
    }
  }
  return total;
}

/** If the notification work has written outbox rows by now: never two with one idempotency key, and the same number per (identical) agreement. */
async function checkOutbox(sql: Client, prepared: Prepared): Promise<void> {
  const exists = (await sql.query<{ t: string | null }>(`SELECT to_regclass('outbox_message')::text AS t`)).rows[0].t;
  if (exists === null) return;
  const duplicates = await sql.query(`SELECT idempotency_key, count(*)::int AS n FROM outbox_message GROUP BY 1 HAVING count(*) > 1`);
  expect(duplicates.rows).toEqual([]);
  const total = (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_message WHERE case_id = ANY($1::uuid[])`, [prepared.ids])).rows[0].n;
  if (total === 0) return;
  // Reminders still due are work in progress, not a wrong count: wait for them first.
  await waitFor(
    'inga förfallna obeslutade påminnelser',
    async () => (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_reminder WHERE decided_at IS NULL AND send_at <= now()`)).rows[0].n,
    (n) => n === 0,
    20_000,
  );
  const perAgreement = await sql.query<{ n: number; agreements: number }>(
    `SELECT n, count(*)::int AS agreements FROM (
       SELECT a.id, (SELECT count(*)::int FROM outbox_message m WHERE m.case_id = a.id) AS n FROM agreement a WHERE a.id = ANY($1::uuid[])
     ) x GROUP BY n`,
    [prepared.ids],
  );
  expect(perAgreement.rows).toEqual([{ n: perAgreement.rows[0].n, agreements: prepared.ids.length }]);
}

describe('deadlines fire once with several instances on one database (issue 4)', () => {
  it('two service processes sweeping 1,000 due timers at once fire each exactly once', async () => {
    const prepared = await prepare(1000);
    mark(`${prepared.ids.length} överenskommelser klara`);
    const count = prepared.ids.length;
    const sql = await connect(prepared.db);
    // info: each sweep round logs how many it fired, so the work can be attributed to a process.
    const [a, b] = await Promise.all([start(prepared.db, 'instans A', 'info'), start(prepared.db, 'instans B', 'info')]);

    // Both are up and polling every 50 ms; now all deadlines fall due at the same instant.
    mark('två processer uppe');
    await arm(sql, prepared, 0);
    await waitFor('att alla förfallna timers avfyrats', () => dueUnfired(sql), (n) => n === 0, 60_000);
    mark('alla avfyrade');

    expect(await shapes(sql, prepared)).toEqual({ [ACTIVE_ONCE]: count });
    const outcomes = await sql.query(`SELECT outcome, count(*)::int AS n FROM case_timer WHERE event_type = 'START_DATE_REACHED' GROUP BY 1`);
    expect(outcomes.rows).toEqual([{ outcome: 'applied', n: count }]);
    const refused = await sql.query(`SELECT count(*)::int AS n FROM audit_event WHERE outcome <> 'applied'`);
    expect(refused.rows[0].n).toBe(0);

    // Both did part of the work, and together exactly all of it.
    const [byA, byB] = await waitFor(
      'att båda processernas svep loggat klart',
      async () => [firedBy(a), firedBy(b)],
      ([x, y]) => x.applied + y.applied >= count,
      10_000,
    );
    expect(byA.applied + byB.applied).toBe(count);
    expect(byA.skipped + byB.skipped).toBe(0);
    expect(byA.applied).toBeGreaterThan(0);
    expect(byB.applied).toBeGreaterThan(0);
    mark(`${count} timers: instans A ${byA.applied}, instans B ${byB.applied}`);

    const report = await auditVerify(a, prepared.template.administratorId);
    expect(report).toMatchObject({ intact: true, agreementsChecked: count, breaks: [] });
    expect(report.eventsChecked).toBe(count * (prepared.template.history.length + 1));
    await checkOutbox(sql, prepared);

    await stopGracefully(a);
    await stopGracefully(b);
  });

  it('two service processes deciding and sending 1,000 due reminders send each e-mail exactly once', async () => {
    const prepared = await prepare(1000);
    const count = prepared.ids.length;
    const sql = await connect(prepared.db);
    const sink = new SmtpSink();
    await sink.listen();
    try {
      const env = { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, OUTBOX_SEND_INTERVAL_MS: '50', SECRETARIAT_EMAIL: 'kansli@example.se' };
      const [a, b] = await Promise.all(
        ['instans A', 'instans B'].map(async (name) => {
          const p = await startServiceProcess({ databaseUrl: prepared.db.appUrl, migrationDatabaseUrl: prepared.db.ownerUrl, name, timerSweepIntervalMs: 50, env });
          processes.push(p);
          return p;
        }),
      );
      // Every agreement has one reminder to the secretariat falling due now, in the state it is in.
      await sql.query(
        `INSERT INTO case_reminder (case_id, case_type, kind, reminder_key, cycle, audience, send_at, deadline_date, scheduled_in_state)
         SELECT id, 'agreement', 'signature_missing', 'signature_missing:1w', 1, 'secretariat', now() - interval '1 minute', current_date, state
           FROM agreement WHERE id = ANY($1::uuid[])`,
        [prepared.ids],
      );
      const progress = async () => {
        const outbox = await sql.query(`SELECT state, count(*)::int AS n FROM outbox_message WHERE case_id IS NOT NULL GROUP BY 1 ORDER BY 1`);
        const reminders = await sql.query(`SELECT coalesce(outcome, 'undecided') AS outcome, count(*)::int AS n FROM case_reminder GROUP BY 1 ORDER BY 1`);
        return { outbox: outbox.rows as Array<{ state: string; n: number }>, reminders: reminders.rows };
      };
      // Reminders only: the week's digest to the secretariat may or may not be due, depending on the weekday.
      await waitFor('att alla påminnelser skickats', progress, (p) => (p.outbox.find((r) => r.state === 'sent')?.n ?? 0) >= count, 90_000, 200);

      const decided = await sql.query(`SELECT outcome, count(*)::int AS n FROM case_reminder GROUP BY 1`);
      expect(decided.rows).toEqual([{ outcome: 'queued', n: count }]);
      const perAgreement = await sql.query(`SELECT count(*)::int AS n FROM outbox_message GROUP BY case_id HAVING count(*) <> 1`);
      expect(perAgreement.rows).toEqual([]);
      // Let any straggling send finish, then: each message arrived exactly once.
      await stopGracefully(a);
      await stopGracefully(b);
      const received = sink.received.map((r) => r.mail.messageId ?? '');
      expect(new Set(received).size).toBe(received.length);
      const reminderIds = (await sql.query(`SELECT message_id FROM outbox_message WHERE case_id IS NOT NULL`)).rows.map((r: { message_id: string }) => r.message_id);
      expect(reminderIds).toHaveLength(count);
      expect(received.filter((id) => reminderIds.includes(id))).toHaveLength(count);
    } finally {
      await sink.close();
    }
  });

  it('a process killed with SIGKILL mid-sweep leaves no half-applied transition; a restart finishes the rest once', async () => {
    const prepared = await prepare(COPIES_KILLED);
    mark(`${prepared.ids.length} överenskommelser klara`);
    const count = prepared.ids.length;
    const sql = await connect(prepared.db);
    const first = await start(prepared.db, 'instans 1');
    mark('process uppe');
    // One second apart: distinct instants keep each claim cheap (see bench/RESULTS.md, "Timer firing").
    await arm(sql, prepared, 1);

    const firedCount = async (): Promise<number> =>
      (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_timer WHERE fired_at IS NOT NULL`)).rows[0].n;
    const atKill = await waitFor('att en del av timrarna avfyrats', firedCount, (n) => n >= 200, 30_000, 10);
    expect(await first.kill('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });
    expect(atKill).toBeLessThan(count);

    // The killed process's open transaction dies with its connection; wait until the server has let go.
    await waitFor(
      'att den dödade processens anslutningar försvunnit',
      async () =>
        (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`, [prepared.db.name, APP_NAME])).rows[0].n,
      (n) => n === 0,
      15_000,
    );

    // Every agreement is either wholly activated (state, version, timer and audit row) or wholly untouched.
    const afterKill = await shapes(sql, prepared);
    expect(Object.keys(afterKill).sort()).toEqual([ACTIVE_ONCE, UNTOUCHED].sort());
    expect(afterKill[ACTIVE_ONCE] + afterKill[UNTOUCHED]).toBe(count);
    expect(afterKill[ACTIVE_ONCE]).toBeGreaterThanOrEqual(atKill);
    mark(`SIGKILL efter ${afterKill[ACTIVE_ONCE]} av ${count} timers`);

    const second = await start(prepared.db, 'instans 2');
    mark('omstartad');
    await waitFor('att resten avfyrats efter omstarten', () => dueUnfired(sql), (n) => n === 0, 90_000);
    mark('resten avfyrade');
    expect(await shapes(sql, prepared)).toEqual({ [ACTIVE_ONCE]: count });
    const report = await auditVerify(second, prepared.template.administratorId);
    expect(report).toMatchObject({ intact: true, agreementsChecked: count, breaks: [] });
    expect(report.eventsChecked).toBe(count * (prepared.template.history.length + 1));
    await checkOutbox(sql, prepared);
    await stopGracefully(second);
  });
});
