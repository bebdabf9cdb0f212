// One row that cannot be processed must not stop the others: it is set aside with a backoff, becomes
// an incident after a few attempts, and an administrator's retry puts it back once it is fixed.
import request from 'supertest';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ACTOR_HEADER } from '@app/auth/actor.resolver';
import { AccountsService } from '@app/auth/accounts.service';
import { createApp, type StartedApp } from '@app/bootstrap';
import { ClockService } from '@app/clock/clock.service';
import { recordIncident } from '@app/incidents/incident.repository';
import { INCIDENT_AFTER_ATTEMPTS } from '@app/incidents/retry-policy';
import { JsonLogger } from '@app/logging/json-logger';
import { ReminderDispatcherService } from '@app/notifications/reminder-dispatcher.service';
import { TimerScheduleService } from '@app/timers/timer-schedule.service';
import { lastSweeps } from '@app/timers/sweep-heartbeat.repository';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { cloneSignedAgreements, createSignedTemplate, type SignedTemplate } from '@test/support/agreement-copies';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { createBromodellenParties, bromodellenBody, createPerson, sendEvent, type BromodellenParties } from '@test/support/factories';
import { startTestApp, TEST_ADMINISTRATOR, type TestApp } from '@test/support/test-app';

const BASE_URL = 'https://iop.example.se';
const SECRETARIAT = 'kansli@example.se';
const PASSWORD = 'incident-test-lösenord-2025';

interface IncidentJson {
  id: string;
  source: string;
  rowId: string;
  agreementId: string;
  summary: string;
  error: string;
  attempts: number;
  resolvedAt: string | null;
  resolution: string | null;
}

describe('a poison timer among 1,000 due timers', () => {
  let db: TestDatabase;
  let started: StartedApp;
  let clock: ClockService;
  let sweeper: TimerSweeperService;
  let template: SignedTemplate;
  let ids: string[];
  let poison: string;
  let poisonTimer: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const sql = (text: string, values: unknown[] = []): Promise<any> => started.app.get(DataSource).query(text, values);
  const as = (personId: string) => ({
    get: (url: string) => request(started.app.getHttpServer()).get(url).set(ACTOR_HEADER, personId),
    post: (url: string) => request(started.app.getHttpServer()).post(url).set(ACTOR_HEADER, personId),
    put: (url: string) => request(started.app.getHttpServer()).put(url).set(ACTOR_HEADER, personId),
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    started = await createApp({
      env: { ...db.env, AUDIT_CHECKPOINT_INTERVAL_HOURS: '0', RETENTION_INTERVAL_MS: '0', LOG_LEVEL: 'error', TRUST_ACTOR_HEADER: 'on', TIMER_SWEEP_INTERVAL_MS: '0', OUTBOX_SEND_INTERVAL_MS: '0', PUBLIC_BASE_URL: BASE_URL, SECRETARIAT_EMAIL: SECRETARIAT },
      port: 0,
      logger: new JsonLogger('error', () => undefined),
    });
    clock = started.app.get(ClockService);
    sweeper = started.app.get(TimerSweeperService);
    clock.freeze('2023-10-01T08:00:00Z');
    template = await createSignedTemplate(started);
    const copies = await cloneSignedAgreements(db.url, template, { count: 999, timerDueAtSql: 'd.due' });
    ids = [template.id, ...copies];
    // The poison owns the earliest due timer (all are due at one instant; the template's has the lowest id),
    // and its snapshot has a machine version this code does not know.
    poison = template.id;
    const [row] = await sql(`SELECT id FROM case_timer WHERE case_id = $1 AND fired_at IS NULL`, [poison]);
    poisonTimer = String(row.id);
    const [first] = await sql(`SELECT id FROM case_timer WHERE fired_at IS NULL ORDER BY due_at, id LIMIT 1`);
    expect(String(first.id)).toBe(poisonTimer);
    await sql(`UPDATE agreement SET machine_version = 99 WHERE id = $1`, [poison]);
  }, 120_000);
  afterAll(async () => {
    await started?.app.close();
    await db?.drop();
  });

  const timerRow = async () =>
    (await sql(`SELECT attempts, last_error, next_attempt_at, fired_at, outcome FROM case_timer WHERE id = $1`, [poisonTimer]))[0] as {
      attempts: number;
      last_error: string | null;
      next_attempt_at: Date | null;
      fired_at: Date | null;
      outcome: string | null;
    };
  const incidentMails = () => sql(`SELECT idempotency_key, recipient, subject, text_body FROM outbox_message WHERE kind = 'incident' ORDER BY id`);

  it('fires the other 999 in the same sweep and records the failure on the poison row', async () => {
    expect(ids).toHaveLength(1000);
    clock.freeze('2024-01-02T08:00:00Z');
    const started1 = Date.now();
    const result = await sweeper.sweep();
    const ms = Date.now() - started1;
    console.log(`1 000 förfallna datum med en trasig rad: ${ms} ms`);
    expect(result).toEqual({ applied: 999, skipped: 0, failed: 1 });
    const states = await sql(`SELECT state, count(*)::int AS n FROM agreement WHERE id = ANY($1::uuid[]) GROUP BY state ORDER BY state`, [ids]);
    expect(states).toEqual([
      { state: 'active', n: 999 },
      { state: 'signed', n: 1 },
    ]);
    const row = await timerRow();
    expect(row.attempts).toBe(1);
    expect(row.fired_at).toBeNull();
    expect(row.last_error).toContain('maskinversion 99');
    expect(new Date(row.next_attempt_at as Date).toISOString()).toBe('2024-01-02T08:01:00.000Z');
    // Nothing for an incident yet: one failure may be passing.
    expect(await sql(`SELECT * FROM incident`)).toEqual([]);
    expect((await lastSweeps(started.app.get(DataSource))).timers?.toISOString()).toBe('2024-01-02T08:00:00.000Z');
    expect((await lastSweeps(started.app.get(DataSource))).reminders?.toISOString()).toBe('2024-01-02T08:00:00.000Z');
  }, 180_000);

  it('is not claimed again before its backoff has passed', async () => {
    clock.freeze('2024-01-02T08:00:30Z');
    expect(await sweeper.sweep()).toEqual({ applied: 0, skipped: 0, failed: 0 });
    expect((await timerRow()).attempts).toBe(1);
  });

  it(`becomes an incident after ${INCIDENT_AFTER_ATTEMPTS} attempts, reported once to the secretariat`, async () => {
    clock.freeze('2024-01-02T08:02:00Z');
    expect((await sweeper.sweep()).failed).toBe(1);
    expect(await incidentMails()).toEqual([]);
    clock.freeze('2024-01-02T08:05:00Z');
    expect((await sweeper.sweep()).failed).toBe(1);
    const incidents = await sql(`SELECT id, source, row_id, case_id AS agreement_id, attempts, summary, reported_at FROM incident`);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ source: 'timer', row_id: poisonTimer, agreement_id: poison, attempts: 3 });
    expect(incidents[0].summary).toBe('Datum ”startdatum” 2024-01-01 för Bromodellen (dnr AN 2023-0042)');
    expect(incidents[0].reported_at).not.toBeNull();
    // Still retried (hourly at most), but the report is not written again.
    clock.freeze('2024-01-02T09:00:00Z');
    expect((await sweeper.sweep()).failed).toBe(1);
    const mails = await incidentMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ idempotency_key: `incident:${incidents[0].id}`, recipient: SECRETARIAT });
    expect(mails[0].subject).toContain('Bromodellen');
    expect(mails[0].text_body).toContain('maskinversion 99');
    expect(mails[0].text_body).toContain(`${BASE_URL}/administration/incidenter`);
    expect((await sql(`SELECT attempts FROM incident`))[0].attempts).toBe(4);
  });

  it('is listed for administrators and auditors at GET /incidents; others get 403', async () => {
    const list = (await as(template.administratorId).get('/incidents').expect(200)).body as IncidentJson[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ source: 'timer', rowId: poisonTimer, agreementId: poison, attempts: 4, resolvedAt: null });
    expect(list[0].error).toContain('maskinversion 99');
    const [org] = await sql(`SELECT id FROM organisation WHERE kind = 'municipality' ORDER BY name LIMIT 1`);
    const clients = { admin: () => as(template.administratorId), as, administratorId: template.administratorId, http: () => request(started.app.getHttpServer()) };
    const secretary = await createPerson(clients as never, { name: 'Sekreterare Sara', email: 'sara@example.se', organisationId: org.id }, ['secretariat']);
    const auditor = await createPerson(clients as never, { name: 'Revisor Rut', email: 'rut@example.se', organisationId: org.id }, ['auditor']);
    expect((await as(secretary.id).get('/incidents').expect(403)).body.message).toContain('administratörer och revisorer');
    expect((await as(auditor.id).get('/incidents').expect(200)).body).toHaveLength(1);
    await as(auditor.id).post(`/incidents/${list[0].id}/retry`).expect(403);
    await as(secretary.id).post(`/incidents/${list[0].id}/dismiss`).expect(403);
    await request(started.app.getHttpServer()).get('/incidents').expect(401);
  });

  it('is shown on the admin pages, with a retry button that needs our own origin', async () => {
    await started.app.get(AccountsService).upsert(template.administratorId, PASSWORD, ['administrator']);
    // The session cookie is Secure (https base URL): sent by hand over the test's plain HTTP.
    const login = await request(started.app.getHttpServer()).post('/auth/login').send({ email: TEST_ADMINISTRATOR.email, password: PASSWORD }).expect(200);
    const cookie = `iop_session=${/iop_session=([^;]+)/.exec(String(login.headers['set-cookie']))?.[1] ?? ''}`;
    const server = started.app.getHttpServer();
    const agent = { get: (url: string) => request(server).get(url).set('Cookie', cookie), post: (url: string) => request(server).post(url).set('Cookie', cookie) };
    const admin = (await agent.get('/administration').expect(200)).text;
    expect(admin).toContain('1 öppen incident');
    expect(admin).toContain('href="/administration/incidenter"');
    const page = (await agent.get('/administration/incidenter').expect(200)).text;
    expect(page).toContain('<html lang="sv">');
    expect(page).toContain('Datum ”startdatum” 2024-01-01 för Bromodellen (dnr AN 2023-0042)');
    expect(page).toContain('maskinversion 99');
    expect(page).toContain('Försök igen');
    const [incident] = await sql(`SELECT id FROM incident`);
    // A form post from elsewhere is refused (CSRF); an unknown incident is a Swedish 404, never a 500.
    await agent.post(`/administration/incidenter/${incident.id}/forsok-igen`).expect(403);
    const missing = await agent.post('/administration/incidenter/abc/forsok-igen').set('Origin', BASE_URL).expect(404);
    expect(missing.text).toContain('Sidan finns inte');
  });

  it('bad ids are 404 in Swedish', async () => {
    for (const id of ['abc', '0', '99999999', '1e3', '123456789012345678901234']) {
      const res = await as(template.administratorId).post(`/incidents/${id}/retry`).expect(404);
      expect(res.body.message).toBe('Incidenten finns inte.');
    }
  });

  it('once the snapshot is fixed, retry resolves the incident and the next sweep fires the timer', async () => {
    const [incident] = await sql(`SELECT id FROM incident`);
    await sql(`UPDATE agreement SET machine_version = 2 WHERE id = $1`, [poison]);
    const retried = (await as(template.administratorId).post(`/incidents/${incident.id}/retry`).expect(200)).body as IncidentJson;
    expect(retried).toMatchObject({ id: String(incident.id), resolution: 'retried' });
    expect(await timerRow()).toMatchObject({ attempts: 0, next_attempt_at: null, last_error: null, fired_at: null });
    // Twice is a conflict, not a second reset.
    expect((await as(template.administratorId).post(`/incidents/${incident.id}/retry`).expect(409)).body.message).toContain('redan hanterad');
    clock.freeze('2024-01-02T09:00:05Z');
    expect(await sweeper.sweep()).toEqual({ applied: 1, skipped: 0, failed: 0 });
    expect(await timerRow()).toMatchObject({ outcome: 'applied', attempts: 0 });
    expect((await sql(`SELECT state FROM agreement WHERE id = $1`, [poison]))[0].state).toBe('active');
    const [resolved] = await sql(`SELECT resolution, resolved_by_person_id, resolved_at FROM incident`);
    expect(resolved).toMatchObject({ resolution: 'retried', resolved_by_person_id: template.administratorId });
    expect(await incidentMails()).toHaveLength(1);
  });

  it('shows outbox incidents as "kan ha levererats", sends no second report for them, and retry puts the message back in line', async () => {
    const outboxRow = async (key: string) => {
      const [m] = await sql(
        `INSERT INTO outbox_message (idempotency_key, message_id, kind, recipient, subject, text_body, html_body, state, attempts, last_error, next_attempt_at)
         VALUES ($1, $1, 'decision_upcoming', 'bilda@example.se', 'Påminnelse', 'text', '<p>text</p>', 'failed', 8, 'ETIMEDOUT efter DATA', now()) RETURNING id`,
        [key],
      );
      return String(m.id);
    };
    const first = await outboxRow('test:outbox:1');
    const second = await outboxRow('test:outbox:2');
    const opened: string[] = [];
    for (const rowId of [first, second]) {
      // As the outbox sender records it: its own failure report is its business, not the incident's.
      const incident = await started.app.get(DataSource).transaction((m) =>
        recordIncident(m, { source: 'outbox', rowId, case: { type: 'agreement', id: poison }, summary: 'E-post till bilda@example.se: Påminnelse', error: 'ETIMEDOUT efter DATA', attempts: 8, possiblyDelivered: true }, clock.now()),
      );
      expect(incident.opened).toBe(true);
      opened.push(String(incident.id));
    }
    expect(await incidentMails()).toHaveLength(1);
    const reported = await sql(`SELECT reported_at FROM incident WHERE id = ANY($1::bigint[])`, [opened]);
    expect(reported.every((r: { reported_at: Date | null }) => r.reported_at !== null)).toBe(true);
    const list = (await as(template.administratorId).get('/incidents?status=open').expect(200)).body as Array<IncidentJson & { deliveryNote: string | null }>;
    expect(list.map((i) => [i.source, i.deliveryNote])).toEqual([
      ['outbox', 'kan ha levererats'],
      ['outbox', 'kan ha levererats'],
    ]);

    const login = await request(started.app.getHttpServer()).post('/auth/login').send({ email: TEST_ADMINISTRATOR.email, password: PASSWORD }).expect(200);
    const cookie = `iop_session=${/iop_session=([^;]+)/.exec(String(login.headers['set-cookie']))?.[1] ?? ''}`;
    const server = started.app.getHttpServer();
    expect((await request(server).get('/administration/incidenter').set('Cookie', cookie).expect(200)).text).toContain('kan ha levererats');
    // The page's dismiss button, from our own origin: back to the page with a receipt.
    await request(server).post(`/administration/incidenter/${opened[0]}/avfarda`).set('Cookie', cookie).set('Origin', BASE_URL).expect(303).expect('Location', '/administration/incidenter?klart=avfardad');
    expect((await sql(`SELECT state FROM outbox_message WHERE id = $1`, [first]))[0].state).toBe('failed');
    await as(template.administratorId).post(`/incidents/${opened[1]}/retry`).expect(200);
    const [reset] = await sql(`SELECT state, attempts, last_error, next_attempt_at FROM outbox_message WHERE id = $1`, [second]);
    expect(reset).toMatchObject({ state: 'pending', attempts: 0, last_error: null });
    expect(new Date(reset.next_attempt_at).toISOString()).toBe(clock.now().toISOString());
    expect(await sql(`SELECT resolution FROM incident WHERE id = ANY($1::bigint[]) ORDER BY id`, [opened])).toEqual([{ resolution: 'dismissed' }, { resolution: 'retried' }]);
  });
});

describe('reminders are not held up by a poison reminder or a failing timer', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let sweeper: TimerSweeperService;

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-10-01T08:00:00Z', env: { SECRETARIAT_EMAIL: SECRETARIAT, PUBLIC_BASE_URL: BASE_URL, DIGEST_HORIZON_DAYS: '90' } });
    p = await createBromodellenParties(t);
    sweeper = t.started.app.get(TimerSweeperService);
  });
  afterAll(() => t.close());

  async function signed(title: string): Promise<string> {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { title })).expect(201)).body.id as string;
    for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))]) {
      await sendEvent(t, p, id, body).expect(200);
    }
    return id;
  }
  const undecided = (id: string, now: string) =>
    t.dataSource.query<Array<{ id: string; attempts: number; last_error: string | null }>>(
      `SELECT id, attempts, last_error FROM case_reminder WHERE case_id = $1 AND decided_at IS NULL AND send_at <= $2 ORDER BY send_at, id`,
      [id, now],
    );

  let a: string;
  let b: string;
  let c: string;
  let poisonReminder: string;

  it('a poison reminder is set aside, the others (and a failing timer’s neighbours) are decided in the same sweep', async () => {
    a = await signed('Allaktivitetshuset');
    b = await signed('Bromodellen');
    c = await signed('Cykelköket');
    // C's snapshot cannot be restored: its every timer fails.
    await t.dataSource.query(`UPDATE agreement SET machine_version = 99 WHERE id = $1`, [c]);
    // Timers only (the decision window opens on 2025-03-31), so the decision reminders are planned but not decided.
    t.clock.freeze('2025-04-01T08:00:00Z');
    expect(await sweeper.fireDue()).toEqual({ applied: 4, skipped: 0, failed: 1 });
    const [latest] = await t.dataSource.query(
      `SELECT id FROM case_reminder WHERE case_id = $1 AND decided_at IS NULL AND send_at <= '2025-04-15T08:00:00Z' ORDER BY send_at DESC, id DESC LIMIT 1`,
      [a],
    );
    poisonReminder = String(latest.id);
    // An unknown kind: writing its e-mail throws (a TypeError, not a domain error).
    await t.dataSource.query(`UPDATE case_reminder SET kind = 'okänd_påminnelse' WHERE id = $1`, [poisonReminder]);

    const now = '2025-04-15T08:00:00Z';
    t.clock.freeze(now);
    const result = await sweeper.sweep();
    expect(result.failed).toBe(1);
    const [cTimer] = await t.dataSource.query(`SELECT attempts FROM case_timer WHERE case_id = $1 AND fired_at IS NULL ORDER BY due_at LIMIT 1`, [c]);
    expect(cTimer.attempts).toBe(2);
    expect(await undecided(b, now)).toEqual([]);
    const left = await undecided(a, now);
    expect(left.map((r) => r.id)).toEqual([poisonReminder]);
    expect(left[0].attempts).toBe(1);
    expect(left[0].last_error).toContain('TypeError');
    const bMail = await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message WHERE case_id = $1 AND kind <> 'incident'`, [b]);
    expect(bMail[0].n).toBeGreaterThan(0);
  });

  it('the unreadable agreement does not take the lists down; acting on it answers 503 with what is wrong', async () => {
    const list = await t.admin().get('/agreements').expect(200);
    expect((list.body as Array<{ id: string }>).map((x) => x.id)).toEqual(expect.arrayContaining([a, b, c]));
    await t.admin().get('/overview').expect(200);
    const res = await t.admin().get(`/agreements/${c}/allowed-events`).expect(503);
    expect(res.body).toMatchObject({ error: 'case_unreadable' });
    expect(res.body.message).toContain('maskinversion 99');
    expect(res.body.message).toContain('Inget har ändrats.');
  });

  it(`a poison reminder becomes an incident after ${INCIDENT_AFTER_ATTEMPTS} attempts; the weekly digest lists the open incidents`, async () => {
    for (const at of ['2025-04-15T08:02:00Z', '2025-04-15T08:06:00Z']) {
      t.clock.freeze(at);
      await sweeper.sweep();
    }
    const incidents = await t.dataSource.query(`SELECT id, source, row_id, summary FROM incident ORDER BY source`);
    expect(incidents.map((i: { source: string; row_id: string }) => [i.source, i.row_id])).toEqual([
      ['reminder', poisonReminder],
      ['timer', expect.any(String)],
    ]);
    expect(incidents[0].summary).toMatch(/^Påminnelse ”okänd_påminnelse” inför \d{4}-\d{2}-\d{2} för Allaktivitetshuset/);
    expect(incidents[1].summary).toContain('Cykelköket');
    const mails = await t.dataSource.query(`SELECT idempotency_key FROM outbox_message WHERE kind = 'incident' ORDER BY idempotency_key`);
    expect(mails.map((m: { idempotency_key: string }) => m.idempotency_key).sort()).toEqual(incidents.map((i: { id: string }) => `incident:${i.id}`).sort());

    // Monday 2025-04-21 07:00 Stockholm: the week's digest, with both incidents.
    t.clock.freeze('2025-04-21T06:00:00Z');
    await sweeper.sweep();
    const [digest] = await t.dataSource.query(`SELECT text_body, html_body FROM outbox_message WHERE idempotency_key = 'digest:2025-W17:kansli@example.se'`);
    expect(digest.text_body).toContain('ÖPPNA INCIDENTER (2)');
    expect(digest.text_body).toContain(incidents[0].summary);
    expect(digest.text_body).toContain(incidents[1].summary);
    expect(digest.text_body).toContain(`${BASE_URL}/administration/incidenter`);
    expect(digest.html_body).toContain('Öppna incidenter (2)');

    // Dismissing C's timer incident stops its retries: no new incident opens on the next sweeps.
    await t.admin().post(`/incidents/${incidents[1].id}/dismiss`).expect(200);
    const [parked] = await t.dataSource.query(`SELECT next_attempt_at::text AS at FROM case_timer WHERE id = $1`, [incidents[1].row_id]);
    expect(parked.at).toBe('infinity');
    t.clock.freeze('2025-04-22T08:00:00Z');
    await sweeper.sweep();
    expect(await t.dataSource.query(`SELECT source FROM incident WHERE resolved_at IS NULL`)).toEqual([{ source: 'reminder' }]);
    // C's unreadable snapshot is named in the digest rather than stopping it.
    expect(digest.text_body).toContain('Cykelköket (dnr AN 2023-0042): överenskommelsen kunde inte läsas (Överenskommelsen sparades med maskinversion 99');
  });

  it('a reminder waits for a timer of its agreement that has just fallen due, but at most an hour', async () => {
    const e = await signed('Ekbacken');
    // In force with its decision window open: its decision reminders are planned.
    t.clock.freeze('2025-04-01T08:00:00Z');
    await sweeper.fireDue();
    const now = new Date('2025-04-01T09:00:00Z');
    t.clock.freeze(now);
    // A timer of E due ten minutes ago and not yet fired (the timers loop is behind), and a reminder of E due now.
    const [timer] = await t.dataSource.query(`SELECT id FROM case_timer WHERE case_id = $1 AND fired_at IS NULL ORDER BY due_at LIMIT 1`, [e]);
    await t.dataSource.query(`UPDATE case_timer SET due_at = $2 WHERE id = $1`, [timer.id, new Date(now.getTime() - 10 * 60_000)]);
    const [reminder] = await t.dataSource.query(`SELECT id FROM case_reminder WHERE case_id = $1 AND decided_at IS NULL ORDER BY send_at LIMIT 1`, [e]);
    await t.dataSource.query(`UPDATE case_reminder SET send_at = $2 WHERE id = $1`, [reminder.id, new Date(now.getTime() - 60_000)]);
    const decidedAt = async () => (await t.dataSource.query(`SELECT decided_at FROM case_reminder WHERE id = $1`, [reminder.id]))[0].decided_at as Date | null;

    const reminders = t.started.app.get(ReminderDispatcherService);
    await reminders.dispatchDue();
    expect(await decidedAt()).toBeNull();
    // Fifty minutes on, the timer still unfired: the reminder is decided all the same.
    t.clock.freeze(new Date(now.getTime() + 51 * 60_000));
    await reminders.dispatchDue();
    expect(await decidedAt()).not.toBeNull();
  });

  it('the reminders loop runs while the timers loop is stuck on a lock', async () => {
    const d = await signed('Dansbanan');
    t.clock.freeze('2026-02-01T08:00:00Z');
    // A new agreement's reminders are due, and so are timers; hold the timer table so their claim waits.
    const blocker = new Client({ connectionString: t.db.url });
    await blocker.connect();
    const schedule = t.started.app.get(TimerScheduleService);
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE case_timer IN EXCLUSIVE MODE');
      const timers = schedule.timers.tick();
      // The newly signed agreement has a due reminder only if the policy plans one before signing; use any due reminder.
      const due = await t.dataSource.query(`SELECT count(*)::int AS n FROM case_reminder WHERE decided_at IS NULL AND send_at <= $1 AND next_attempt_at IS NULL`, ['2026-02-01T08:00:00Z']);
      await schedule.reminders.tick();
      const after = await t.dataSource.query(`SELECT count(*)::int AS n FROM case_reminder WHERE decided_at IS NULL AND send_at <= $1 AND next_attempt_at IS NULL`, ['2026-02-01T08:00:00Z']);
      expect({ d: typeof d, before: due[0].n > 0, after: after[0].n }).toEqual({ d: 'string', before: true, after: 0 });
      expect((await lastSweeps(t.dataSource)).reminders?.toISOString()).toBe('2026-02-01T08:00:00.000Z');
      expect((await lastSweeps(t.dataSource)).timers?.toISOString()).not.toBe('2026-02-01T08:00:00.000Z');
      await blocker.query('COMMIT');
      await timers;
      expect((await lastSweeps(t.dataSource)).timers?.toISOString()).toBe('2026-02-01T08:00:00.000Z');
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
  });
});
