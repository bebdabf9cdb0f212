/** Issue 11: Idempotency-Key on creating POSTs, and a database that cannot be reached answers 503. */
import { Client } from 'pg';
import type request from 'supertest';
import { isDatabaseUnavailable } from '@app/common/database-unavailable';
import { pruneIdempotencyKeys } from '@app/idempotency/idempotency.store';
import { createBromodellenParties, bromodellenBody, type BromodellenParties } from '@test/support/factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

describe('Idempotency-Key', () => {
  let t: TestApp;
  let p: BromodellenParties;

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-05-02T08:00:00Z' });
    p = await createBromodellenParties(t);
  });
  afterAll(() => t.close());

  const agreements = async (title: string) => (await t.dataSource.query(`SELECT count(*)::int AS n FROM agreement WHERE title = $1`, [title]))[0].n as number;
  const create = (key: string, title: string, personId = p.bildaSignatory.id) =>
    t.as(personId).post('/agreements').set('Idempotency-Key', key).send(bromodellenBody(p, { title }));

  it('the same key and body give the first answer again, and create once', async () => {
    const first = await create('k-same', 'Samma nyckel').expect(201);
    const again = await create('k-same', 'Samma nyckel').expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    expect(await agreements('Samma nyckel')).toBe(1);
  });

  it('the same key with another body is refused with 422 in Swedish', async () => {
    await create('k-other', 'Första').expect(201);
    const res = await create('k-other', 'Andra').expect(422);
    expect(res.body.error).toBe('idempotency_key_reused');
    expect(res.body.message).toMatch(/redan använts/);
    expect(await agreements('Andra')).toBe(0);
  });

  it('keys are per person', async () => {
    await create('k-person', 'Per person', p.bildaSignatory.id).expect(201);
    await create('k-person', 'Per person', p.ehSignatory.id).expect(403);
    expect(await agreements('Per person')).toBe(1);
  });

  it('concurrent requests with one key create once; the others get 409 with Retry-After or the replay', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => create('k-race', 'Samtidigt')));
    expect(answers.map((a) => a.status).every((s) => s === 201 || s === 409)).toBe(true);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body.error).toBe('in_progress');
      expect(Number(a.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(await agreements('Samtidigt')).toBe(1);
  });

  it('a refused request frees its key: the corrected body may use it', async () => {
    await create('k-fix', '').expect(400);
    await create('k-fix', 'Rättad').expect(201);
    expect(await agreements('Rättad')).toBe(1);
  });

  it('a malformed key is a 400 naming the header', async () => {
    const res = await create('x'.repeat(201), 'För lång').expect(400);
    expect(res.body.problems[0].field).toBe('Idempotency-Key');
  });

  it('events and other creates take the key too', async () => {
    const id = (await create('k-ev', 'Händelser').expect(201)).body.id as string;
    const accept = () => t.as(p.secretariat.id).post(`/agreements/${id}/events`).set('Idempotency-Key', 'ev-1').send({ type: 'ACCEPT_INITIATIVE' });
    const a = await accept().expect(200);
    const b = await accept().expect(200);
    expect(b.body).toEqual(a.body);
    const org = () => t.admin().post('/organisations').set('Idempotency-Key', 'org-1').send({ name: 'Nyckelföreningen', organisationNumber: '802011-1913', kind: 'civil_society' });
    // Erikshjälpen already has that number: the first answer (409) is not stored, the key stays free.
    await org().expect(409);
  });

  it('expired keys are pruned', async () => {
    await create('k-old', 'Gammal').expect(201);
    await t.dataSource.query(`UPDATE idempotency_key SET created_at = now() - interval '25 hours' WHERE key = 'k-old'`);
    expect(await pruneIdempotencyKeys(t.dataSource.manager)).toBe(1);
    // Forgotten: the same key creates anew.
    await create('k-old', 'Gammal').expect(201);
    expect(await agreements('Gammal')).toBe(2);
  });
});

describe('a database that cannot be reached', () => {
  let t: TestApp;
  let p: BromodellenParties;

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-05-02T08:00:00Z' });
    p = await createBromodellenParties(t);
  });
  afterAll(() => t.close());

  it('knows connection failures from other failures', () => {
    expect(isDatabaseUnavailable({ code: '57P01' })).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable({ driverError: { code: 'ECONNREFUSED' } })).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable({ code: '23505' })).toBe(false);
    expect(isDatabaseUnavailable(new Error('x is not a function'))).toBe(false);
  });

  it('answers 503 with Retry-After when its connection is cut mid-request, and recovers', async () => {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { title: 'Avbruten' })).expect(201)).body.id as string;
    const locker = new Client({ connectionString: t.db.url, application_name: 'idempotency-test' });
    locker.on('error', () => undefined);
    await locker.connect();
    try {
      // Hold the agreement's row lock, so the request's backend waits; then end that backend, as a restart would.
      const cutWhileWaiting = async (send: () => request.Test) => {
        await locker.query('BEGIN');
        await locker.query('SELECT 1 FROM agreement WHERE id = $1 FOR UPDATE', [id]);
        const answer = send().then((r) => r);
        let cutOne = false;
        for (let i = 0; i < 250 && !cutOne; i++) {
          const cut = await locker.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND pid <> pg_backend_pid()`);
          cutOne = (cut.rowCount ?? 0) > 0;
          if (!cutOne) await new Promise((r) => setTimeout(r, 20));
        }
        await locker.query('ROLLBACK');
        const res = await answer;
        expect({ cutOne, status: res.status }).toEqual({ cutOne: true, status: 503 });
        return res;
      };
      const json = await cutWhileWaiting(() => t.as(p.secretariat.id).post(`/agreements/${id}/events`).send({ type: 'ACCEPT_INITIATIVE' }));
      expect(json.status).toBe(503);
      expect(json.headers['retry-after']).toBe('5');
      expect(json.body).toEqual({ error: 'database_unavailable', message: expect.stringMatching(/Databasen går inte att nå/) });

      // The pool drops the dead connection: the next request works.
      await t.as(p.secretariat.id).post(`/agreements/${id}/events`).send({ type: 'ACCEPT_INITIATIVE' }).expect(200);
    } finally {
      await locker.end();
    }
  });
});
