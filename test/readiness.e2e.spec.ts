/**
 * Issue 11: /health/ready knows whether the deadlines are being fired, and /metrics shows the same
 * figures to Prometheus behind METRICS_TOKEN. The clock is the injected one, frozen and moved.
 */
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { bromodellenBody, createBromodellenParties, sendEvent, type BromodellenParties } from '@test/support/factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

const TOKEN = 'skrapnyckel-0123456789abcdef';
const MINUTE = 60_000;

async function signedBromodellen(t: TestApp, p: BromodellenParties): Promise<{ id: string; dueAt: Date }> {
  const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
  for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))]) {
    await sendEvent(t, p, id, body).expect(200);
  }
  const [timer] = await t.dataSource.query<Array<{ due_at: Date }>>(`SELECT due_at FROM case_timer WHERE case_id = $1 AND fired_at IS NULL ORDER BY due_at LIMIT 1`, [id]);
  return { id, dueAt: new Date(timer.due_at) };
}

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('readiness with the sweeper running, and /metrics with a token', () => {
  let t: TestApp;
  let p: BromodellenParties;

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-10-01T08:00:00Z', env: { TIMER_SWEEP_INTERVAL_MS: '50', METRICS_TOKEN: TOKEN } });
    p = await createBromodellenParties(t);
  });
  afterAll(() => t.close());

  it('is ready, and stays ready when a deadline falls due because a sweep fires it', async () => {
    const ready = await eventually(() => t.http().get('/health/ready'), (r) => r.status === 200 && r.body.lastSweepSecondsAgo !== null);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', database: 'ok', oldestDueTimerSeconds: 0, oldestDueOutboxSeconds: 0, openIncidents: 0, reasons: [] });

    const { id, dueAt } = await signedBromodellen(t, p);
    t.clock.freeze(new Date(dueAt.getTime() + 60 * MINUTE));
    const fired = await eventually(
      () => t.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM case_timer WHERE case_id = $1 AND fired_at IS NOT NULL`, [id]),
      (rows) => rows[0].n > 0,
    );
    expect(fired[0].n).toBeGreaterThan(0);
    const after = await t.http().get('/health/ready').expect(200);
    expect(after.body).toMatchObject({ status: 'ok', oldestDueTimerSeconds: 0, reasons: [] });
    expect(after.body.lastSweepSecondsAgo).toBeLessThan(60);
  });

  it('/metrics answers 401 without the token or with a wrong one, past the session guard', async () => {
    const missing = await t.http().get('/metrics').expect(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(missing.body.message).toMatch(/kräver rätt token/);
    await t.http().get('/metrics').set('Authorization', 'Bearer fel-nyckel-0123456789').expect(401);
    // Not taken for an API token (which would be "API-token är ogiltig").
    const apiLike = await t.http().get('/metrics').set('Authorization', 'Bearer iop_0123456789abcdef').expect(401);
    expect(apiLike.body.message).toMatch(/METRICS_TOKEN/);
  });

  it('/metrics answers 200 text/plain with the work gauges and the process metrics for the right token', async () => {
    const response = await t.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.text;
    for (const line of [/^iop_timer_sweep_age_seconds \d+$/m, /^iop_oldest_due_timer_age_seconds 0$/m, /^iop_oldest_due_outbox_message_age_seconds \d+$/m, /^iop_open_incidents 0$/m, /^iop_ready 1$/m]) {
      expect(text).toMatch(line);
    }
    expect(text).toMatch(/^# HELP iop_open_incidents Antal öppna incidenter\.$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
  });
});

describe('readiness with the sweeper stopped', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let sweeper: TimerSweeperService;

  beforeAll(async () => {
    // TIMER_SWEEP_INTERVAL_MS=0 (startTestApp's default): nothing sweeps unless the test does.
    t = await startTestApp({ now: '2023-10-01T08:00:00Z' });
    p = await createBromodellenParties(t);
    sweeper = t.started.app.get(TimerSweeperService);
  });
  afterAll(() => t.close());

  it('/metrics is 404 when METRICS_TOKEN is not set, with or without a token', async () => {
    await t.http().get('/metrics').expect(404);
    await t.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(404);
  });

  it('answers 503 with a Swedish reason once a due timer has waited past the threshold, and 200 again after a sweep', async () => {
    const { dueAt } = await signedBromodellen(t, p);
    await sweeper.sweep();
    await t.http().get('/health/ready').expect(200);

    // Due 10 minutes ago: within the default 15.
    t.clock.freeze(new Date(dueAt.getTime() + 10 * MINUTE));
    const waiting = await t.http().get('/health/ready').expect(503);
    // The sweep ran at 2023-10-01, months before: that alone is a reason.
    expect(waiting.body.reasons).toEqual([expect.stringMatching(/^Senaste slutförda bevakningsomgång var för \d+ minuter sedan \(gräns 15 minuter\)\.$/)]);
    expect(waiting.body.oldestDueTimerSeconds).toBe(600);

    t.clock.freeze(new Date(dueAt.getTime() + 20 * MINUTE));
    const stuck = await t.http().get('/health/ready').expect(503);
    expect(stuck.body).toMatchObject({ status: 'fel', database: 'ok', oldestDueTimerSeconds: 1200, openIncidents: 0 });
    expect(stuck.body.reasons).toContain('En förfallen frist har väntat 20 minuter på att hanteras (gräns 15 minuter): bevakningen hinner inte med eller står still.');
    // Liveness is a different question: the process and the database are fine.
    await t.http().get('/health').expect(200);

    await sweeper.sweep();
    const recovered = await t.http().get('/health/ready').expect(200);
    expect(recovered.body).toMatchObject({ status: 'ok', lastSweepSecondsAgo: 0, oldestDueTimerSeconds: 0, reasons: [] });
  });

  it('answers 503 when no sweep has completed within the threshold, even with nothing due', async () => {
    t.clock.advance(16 * MINUTE);
    const response = await t.http().get('/health/ready').expect(503);
    expect(response.body.reasons).toEqual(['Senaste slutförda bevakningsomgång var för 16 minuter sedan (gräns 15 minuter).']);
    expect(response.body.lastSweepSecondsAgo).toBe(960);
  });

  it('reports the oldest due outbox message and the open incidents without judging them', async () => {
    await sweeper.sweep();
    const now = t.clock.now();
    // Only this message (the signing notices are due too: nothing sends here).
    await t.dataSource.query(`DELETE FROM outbox_message`);
    await t.dataSource.query(
      `INSERT INTO outbox_message (idempotency_key, message_id, kind, recipient, subject, text_body, html_body, next_attempt_at, created_at)
       VALUES ('test:ready:1', '<ready-1@example.se>', 'test', 'a@example.se', 'Ämne', 't', 'h', $1, $1)`,
      [new Date(now.getTime() - 90 * MINUTE)],
    );
    await t.dataSource.query(
      `INSERT INTO incident (source, row_id, summary, error, attempts, opened_at, last_seen_at) VALUES ('outbox', 1, 'Test', 'fel', 5, $1, $1)`,
      [now],
    );
    const response = await t.http().get('/health/ready').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', oldestDueOutboxSeconds: 5400, openIncidents: 1, reasons: [] });
  });
});

describe('readiness settings', () => {
  it('are validated with Swedish messages and have defaults', async () => {
    const { loadConfig } = await import('@app/config/app-config');
    expect(loadConfig({})).toMatchObject({ readinessMaxTimerDelayMinutes: 15, readinessMaxSweepAgeMinutes: 15, metricsToken: undefined });
    expect(() => loadConfig({ READINESS_MAX_TIMER_DELAY_MINUTES: '0' })).toThrow('READINESS_MAX_TIMER_DELAY_MINUTES måste vara ett heltal antal minuter 1–1440');
    expect(() => loadConfig({ METRICS_TOKEN: 'kort' })).toThrow('METRICS_TOKEN måste vara minst 16 tecken utan mellanslag');
    expect(loadConfig({ READINESS_MAX_SWEEP_AGE_MINUTES: '0' }).readinessMaxSweepAgeMinutes).toBe(0);
  });
});
