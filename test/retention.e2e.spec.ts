/**
 * Issue 11: retention prunes dead sessions, old login attempts and the bodies of e-mails sent long
 * ago, in bounded batches, with the injected clock travelling years. The audit history is never touched.
 */
import { SessionsService } from '@app/auth/sessions.service';
import { loadConfig } from '@app/config/app-config';
import { RetentionService } from '@app/retention/retention.service';
import { bromodellenBody, createBromodellenParties, sendEvent } from '@test/support/factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

const DAY = 86_400_000;
const T0 = new Date('2023-05-01T08:00:00Z');
const at = (days: number): Date => new Date(T0.getTime() + days * DAY);

describe('retention', () => {
  let t: TestApp;
  let retention: RetentionService;
  let sessions: SessionsService;
  let agreementId: string;
  let p: Awaited<ReturnType<typeof createBromodellenParties>>;

  beforeAll(async () => {
    t = await startTestApp({ now: T0.toISOString() });
    retention = t.started.app.get(RetentionService);
    sessions = t.started.app.get(SessionsService);
    p = await createBromodellenParties(t);
    agreementId = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    await sendEvent(t, p, agreementId, { type: 'ACCEPT_INITIATIVE' }).expect(200);
  });
  afterAll(() => t.close());

  const auditSnapshot = () => t.dataSource.query<Array<Record<string, unknown>>>(`SELECT * FROM audit_event ORDER BY id`);
  const ids = async (sql: string): Promise<string[]> => (await t.dataSource.query<Array<{ id: string }>>(sql)).map((r) => String(r.id));

  it('deletes sessions once expired or revoked, keeps live ones', async () => {
    await sessions.create(t.administratorId);
    const revoked = await sessions.create(t.administratorId);
    await sessions.revoke(revoked.id);
    t.clock.freeze(at(1));
    const live = await sessions.create(t.administratorId);

    const result = await retention.run();
    expect(result.sessions).toBe(2);
    expect(await ids(`SELECT id FROM session`)).toEqual([live.id]);
    expect(await sessions.personOf(live.secret)).toMatchObject({ personId: t.administratorId });
  });

  it('deletes login throttle counters untouched for 90 days, in batches, and never a live lock', async () => {
    t.clock.freeze(T0);
    // Seven old counters with a batch of 3: three statements, the last one short.
    for (let i = 0; i < 7; i += 1) {
      await t.dataSource.query(`INSERT INTO login_throttle (key, failures, window_started_at, last_attempt_at) VALUES ($1, 1, $2, $2)`, [`address:192.0.2.${i}`, at(-i)]);
    }
    await t.dataSource.query(`INSERT INTO login_throttle (key, failures, window_started_at, last_attempt_at) VALUES ('pair:ada@example.se|192.0.2.9', 1, $1, $1)`, [at(100)]);
    // Old, but locked until far ahead: kept, or the lock would end early.
    await t.dataSource.query(`INSERT INTO login_throttle (key, failures, window_started_at, last_attempt_at, locked_until) VALUES ('address:198.51.100.1', 20, $1, $1, $2)`, [at(0), at(200)]);
    t.clock.freeze(at(120));
    const result = await retention.run(3);
    expect(result.loginAttempts).toBe(7);
    const left = await t.dataSource.query<Array<{ key: string }>>(`SELECT key FROM login_throttle ORDER BY key`);
    expect(left.map((r) => r.key)).toEqual(['address:198.51.100.1', 'pair:ada@example.se|192.0.2.9']);
  });

  it('empties the bodies of e-mails sent more than 365 days ago, years later, and keeps that they were sent', async () => {
    await t.dataSource.query(`DELETE FROM outbox_message`);
    const insert = (key: string, state: string, sentAt: Date | null) =>
      t.dataSource.query(
        `INSERT INTO outbox_message (idempotency_key, message_id, case_id, case_type, kind, recipient, subject, text_body, html_body, ics, state, sent_at, next_attempt_at, created_at)
         VALUES ($1, $2, $3, 'agreement', 'reminder', 'nina@example.se', 'Påminnelse', 'Hej Nina', '<p>Hej Nina</p>', 'BEGIN:VCALENDAR', $4, $5, $6, $6)`,
        [key, `<${key}@example.se>`, agreementId, state, sentAt, sentAt ?? T0],
      );
    await insert('old-1', 'sent', at(0));
    await insert('old-2', 'sent', at(10));
    await insert('recent', 'sent', at(3 * 365 - 30));
    await insert('failed-old', 'failed', null);
    await insert('pending-old', 'pending', null);

    const before = await auditSnapshot();
    expect(before.length).toBeGreaterThan(0);
    t.clock.freeze(at(3 * 365));
    const result = await retention.run(1);
    expect(result.mailBodies).toBe(2);

    const rows = await t.dataSource.query<Array<{ idempotency_key: string; subject: string; recipient: string; text_body: string; html_body: string; ics: string | null; sent_at: Date | null; body_pruned_at: Date | null }>>(
      `SELECT idempotency_key, subject, recipient, text_body, html_body, ics, sent_at, body_pruned_at FROM outbox_message ORDER BY id`,
    );
    const byKey = Object.fromEntries(rows.map((r) => [r.idempotency_key, r]));
    for (const key of ['old-1', 'old-2']) {
      expect(byKey[key]).toMatchObject({ subject: 'Påminnelse', recipient: 'nina@example.se', text_body: '', html_body: '', ics: null });
      expect(byKey[key].sent_at).not.toBeNull();
      expect(new Date(byKey[key].body_pruned_at as Date).toISOString()).toBe(at(3 * 365).toISOString());
    }
    for (const key of ['recent', 'failed-old', 'pending-old']) {
      expect(byKey[key]).toMatchObject({ text_body: 'Hej Nina', html_body: '<p>Hej Nina</p>', ics: 'BEGIN:VCALENDAR', body_pruned_at: null });
    }

    // A second run finds nothing more; the audit history is exactly as it was.
    expect(await retention.run()).toEqual({ sessions: 0, loginAttempts: 0, mailBodies: 0, idempotencyKeys: 0 });
    expect(await auditSnapshot()).toEqual(before);
  });

  it('deletes idempotency keys past their 24 hours (wall-clock time), keeps newer ones', async () => {
    await t.as(p.bildaSignatory.id).post('/agreements').set('Idempotency-Key', 'retention-old').send(bromodellenBody(p)).expect(201);
    await t.as(p.bildaSignatory.id).post('/agreements').set('Idempotency-Key', 'retention-new').send(bromodellenBody(p)).expect(201);
    await t.dataSource.query(`UPDATE idempotency_key SET created_at = now() - interval '25 hours' WHERE key = 'retention-old'`);
    const result = await retention.run();
    expect(result.idempotencyKeys).toBe(1);
    const left = await t.dataSource.query<Array<{ key: string }>>(`SELECT key FROM idempotency_key WHERE key LIKE 'retention-%'`);
    expect(left.map((r) => r.key)).toEqual(['retention-new']);
  });

  it('never touches the audit history, however far the clock travels', async () => {
    const before = await auditSnapshot();
    t.clock.freeze(at(30 * 365));
    await retention.run();
    expect(await auditSnapshot()).toEqual(before);
    expect((await t.as(t.administratorId).get(`/audit/verify`).expect(200)).body).toMatchObject({ intact: true });
  });
});

describe('retention on its schedule', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('runs once shortly after start (here: the interval, being shorter than the first-run delay)', async () => {
    t = await startTestApp({ now: T0.toISOString(), env: { RETENTION_INTERVAL_MS: '300' } });
    await t.dataSource.query(`INSERT INTO login_throttle (key, failures, window_started_at, last_attempt_at) VALUES ('address:192.0.2.9', 1, $1, $1)`, [at(-400)]);
    const deadline = Date.now() + 10_000;
    let left = 1;
    while (left > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = (await t.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM login_throttle`))[0].n;
    }
    expect(left).toBe(0);
  });
});

describe('retention settings', () => {
  it('default to what a municipality can defend, and are validated with Swedish messages', () => {
    expect(loadConfig({})).toMatchObject({ retentionIntervalMs: 86_400_000, retentionSessionDays: 0, retentionLoginAttemptDays: 90, retentionMailBodyDays: 365 });
    expect(loadConfig({ RETENTION_INTERVAL_MS: '0' }).retentionIntervalMs).toBe(0);
    expect(() => loadConfig({ RETENTION_LOGIN_ATTEMPT_DAYS: '0' })).toThrow('RETENTION_LOGIN_ATTEMPT_DAYS måste vara ett heltal antal dagar 1–3660');
    expect(() => loadConfig({ RETENTION_MAIL_BODY_DAYS: 'ett år' })).toThrow('RETENTION_MAIL_BODY_DAYS måste vara ett heltal antal dagar 1–3660');
    expect(() => loadConfig({ RETENTION_INTERVAL_MS: '-1' })).toThrow('RETENTION_INTERVAL_MS måste vara ett heltal antal millisekunder (0 stänger av)');
  });
});
