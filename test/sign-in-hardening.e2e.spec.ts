import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import request from 'supertest';
import { createApp, type StartedApp } from '@app/bootstrap';
import { AccountsService } from '@app/auth/accounts.service';
import { MAX_ACCOUNT_FAILURES, MAX_ADDRESS_FAILURES } from '@app/auth/login.service';
import { passwordProblem } from '@app/auth/password-policy';
import { ClockService } from '@app/clock/clock.service';
import { ConfigError, loadConfig } from '@app/config/app-config';
import { JsonLogger } from '@app/logging/json-logger';
import { bromodellenBody, createBromodellenParties, createPerson, type BromodellenParties } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

const PASSWORD = 'rätt-hästbatteri-häftklammer-17';
const NEW_PASSWORD = 'ett-helt-annat-långt-lösenord-på-svenska';
const WRONG = 'fel-lösenord-med-hemlighet-42';
const EVIL_ORIGIN = 'https://angripare.example';

/** Each test signs in from addresses of its own (TRUST_PROXY=loopback here), so one test's locks never meet another's. */
let nextAddress = 1;
const newAddress = (): string => `203.0.113.${nextAddress++}`;

describe('sign-in hardening (issue 12)', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let origin: string;

  const login = (address: string, email: string, password: string, headers: Record<string, string> = {}): Promise<Response> =>
    t.http().post('/auth/login').set('X-Forwarded-For', address).set(headers).send({ email, password });
  const sessionOf = (res: Response): string => {
    const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('iop_session='));
    if (!raw) throw new Error('ingen sessionscookie');
    return raw.slice('iop_session='.length).split(';')[0];
  };
  const me = (session: string) => t.http().get('/auth/me').set('Cookie', `iop_session=${session}`);
  const bearerMe = (token: string) => t.http().get('/auth/me').set('Authorization', `Bearer ${token}`);
  const newToken = async (session: string, body: Record<string, unknown> = {}): Promise<Response> =>
    t.http().post('/auth/tokens').set('Cookie', `iop_session=${session}`).set('Origin', origin).send({ name: 'Integration', ...body });
  /** A person with a password and an account in `roles`. */
  let people = 0;
  const account = async (roles: Parameters<AccountsService['upsert']>[2] = ['member']) => {
    people += 1;
    const email = `person${people}@example.se`;
    const person = await createPerson(t, { name: `Person ${people}`, email, organisationId: p.bilda.id });
    await t.started.app.get(AccountsService).upsert(person.id, PASSWORD, roles);
    return { id: person.id, email };
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
    origin = new URL(t.started.config.publicBaseUrl).origin;
    p = await createBromodellenParties(t);
    await t.started.app.get(AccountsService).upsert(t.administratorId, PASSWORD, ['administrator']);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('login limits', () => {
    it('counts 29 wrong passwords and the right one sent at the same moment before checking any: no more than the limit are tried', async () => {
      const who = await account();
      const address = newAddress();
      const attempts = [...Array.from({ length: 29 }, (_, i) => `${WRONG}-${i}`), PASSWORD];
      const results = await Promise.all(attempts.map((password) => login(address, who.email, password)));
      const checked = results.filter((r) => r.status !== 429);
      expect(checked.length).toBeLessThanOrEqual(MAX_ACCOUNT_FAILURES);
      expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(30 - MAX_ACCOUNT_FAILURES);
      expect(results.every((r) => [200, 401, 429].includes(r.status))).toBe(true);
      // The right password, once the limit is reached, does not get in from there.
      if (!results.some((r) => r.status === 200)) expect((await login(address, who.email, PASSWORD)).status).toBe(429);
    });

    it(`checks at most ${MAX_ADDRESS_FAILURES} of 40 simultaneous failures from one address`, async () => {
      const address = newAddress();
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => login(address, `finns-inte-${i}@example.se`, WRONG)));
      expect(results.filter((r) => r.status === 401).length).toBeLessThanOrEqual(MAX_ADDRESS_FAILURES);
      expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(40 - MAX_ADDRESS_FAILURES);
    });

    it('lets nobody lock the administrator out from another address: the lock is per (account, address)', async () => {
      const attacker = newAddress();
      for (let round = 0; round < 3; round += 1) {
        for (let i = 0; i < MAX_ACCOUNT_FAILURES + 2; i += 1) await login(attacker, 'ada.admin@example.se', `${WRONG}-${round}-${i}`);
      }
      expect((await login(attacker, 'ada.admin@example.se', PASSWORD)).status).toBe(429);
      const admin = await login(newAddress(), 'ada.admin@example.se', PASSWORD);
      expect(admin.status).toBe(200);
      expect(admin.body).toMatchObject({ person: { id: t.administratorId }, roles: ['administrator'] });
    });

    it('doubles the lock each time it is earned again, and a lock always ends', async () => {
      const who = await account();
      const address = newAddress();
      const lockedFor = async (): Promise<number> => {
        for (let i = 0; i < MAX_ACCOUNT_FAILURES; i += 1) expect((await login(address, who.email, `${WRONG}-${i}`)).status).toBe(401);
        const refused = await login(address, who.email, WRONG);
        expect(refused.status).toBe(429);
        return Number(refused.headers['retry-after']);
      };
      const first = await lockedFor();
      expect(first).toBeGreaterThan(14 * 60);
      expect(first).toBeLessThanOrEqual(15 * 60);
      t.clock.advance(first * 1000 + 1000);
      const second = await lockedFor();
      expect(second).toBeGreaterThan(29 * 60);
      expect(second).toBeLessThanOrEqual(30 * 60);
      t.clock.advance(second * 1000 + 1000);
      expect((await login(address, who.email, PASSWORD)).status).toBe(200);
    });

    describe('TRUST_PROXY', () => {
      let behindProxy: StartedApp;
      beforeAll(async () => {
        // Off by default: every request then comes from the proxy's address, whatever X-Forwarded-For says.
        behindProxy = await createApp({
          env: { ...t.db.env, AUDIT_CHECKPOINT_INTERVAL_HOURS: '0', LOG_LEVEL: 'error', TIMER_SWEEP_INTERVAL_MS: '0', OUTBOX_SEND_INTERVAL_MS: '0' },
          port: 0,
          logger: new JsonLogger('error', () => undefined),
        });
        behindProxy.app.get(ClockService).freeze(t.clock.now());
      });
      afterAll(async () => {
        await behindProxy?.app.close();
      });

      it('is off by default: a forged X-Forwarded-For does not make an attacker a new address', async () => {
        expect(behindProxy.config.trustProxy).toBe(false);
        const results: number[] = [];
        for (let i = 0; i <= MAX_ADDRESS_FAILURES; i += 1) {
          const res = await request(behindProxy.app.getHttpServer()).post('/auth/login').set('X-Forwarded-For', newAddress()).send({ email: `ingen-${i}@example.se`, password: WRONG });
          results.push(res.status);
        }
        expect(results.slice(0, MAX_ADDRESS_FAILURES).every((s) => s === 401)).toBe(true);
        expect(results[MAX_ADDRESS_FAILURES]).toBe(429);
      });

      it('when set, tells users behind the proxy apart by the address it forwards', async () => {
        expect(t.started.config.trustProxy).toEqual(['loopback']);
        const crowded = newAddress();
        for (let i = 0; i < MAX_ADDRESS_FAILURES + 1; i += 1) await login(crowded, `ingen-alls-${i}@example.se`, WRONG);
        expect((await login(crowded, 'nina@example.se', WRONG)).status).toBe(429);
        const who = await account();
        expect((await login(newAddress(), who.email, PASSWORD)).status).toBe(200);
      });

      it('is validated: off, a hop count, or addresses', () => {
        expect(loadConfig({}).trustProxy).toBe(false);
        expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBe(false);
        expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
        expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
        expect(() => loadConfig({ TRUST_PROXY: 'alla proxyer' })).toThrow(ConfigError);
      });
    });
  });

  describe('login CSRF, whatever the spelling of the path', () => {
    it.each(['/logga-in/', '/Logga-In', '/auth/login/', '/Auth/Login', '/logga-in', '/auth/login'])('refuses %s from a foreign origin without setting a cookie', async (path) => {
      const who = await account();
      for (const headers of [{ Origin: EVIL_ORIGIN }, { Referer: `${EVIL_ORIGIN}/sida` }, { 'Sec-Fetch-Site': 'cross-site' }]) {
        const res = await t.http().post(path).set('X-Forwarded-For', newAddress()).set(headers).type(path.toLowerCase().startsWith('/auth') ? 'json' : 'form').send({ email: who.email, password: PASSWORD });
        expect(res.status).toBe(403);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      const own = await t.http().post(path).set('X-Forwarded-For', newAddress()).set('Origin', origin).set('Sec-Fetch-Site', 'same-origin').type(path.toLowerCase().startsWith('/auth') ? 'json' : 'form').send({ email: who.email, password: PASSWORD });
      expect([200, 303]).toContain(own.status);
      expect(String(own.headers['set-cookie'])).toContain('iop_session=');
    });

    it('refuses any state-changing request from another site, and lets a bearer token without a cookie through', async () => {
      const who = await account();
      const session = sessionOf(await login(newAddress(), who.email, PASSWORD));
      const token = (await newToken(session)).body.token as string;
      expect((await t.http().post('/auth/logout').set('Sec-Fetch-Site', 'cross-site').set('Cookie', `iop_session=${session}`)).status).toBe(403);
      expect((await t.http().post('/auth/logout').set('Origin', 'null')).status).toBe(403);
      expect((await me(session)).status).toBe(200);
      // An integration's token is no ambient credential: no origin check.
      expect((await t.http().post('/auth/tokens').set('Authorization', `Bearer ${token}`).set('Origin', EVIL_ORIGIN).send({ name: 'x' })).status).toBe(401);
      expect((await bearerMe(token)).status).toBe(200);
    });
  });

  describe('sessions and tokens end when they should', () => {
    it("ends the sessions and API tokens of an account whose password an administrator resets", async () => {
      const who = await account();
      const session = sessionOf(await login(newAddress(), who.email, PASSWORD));
      const token = (await newToken(session)).body.token as string;
      expect((await bearerMe(token)).status).toBe(200);
      await t.admin().put(`/accounts/${who.id}/password`).send({ password: NEW_PASSWORD }).expect(200);
      expect((await me(session)).status).toBe(401);
      expect((await bearerMe(token)).status).toBe(401);
      expect((await login(newAddress(), who.email, NEW_PASSWORD)).status).toBe(200);
    });

    it('ends API tokens on logout everywhere, and on disabling for good (enabling again does not bring them back)', async () => {
      const who = await account();
      const s1 = sessionOf(await login(newAddress(), who.email, PASSWORD));
      const everywhere = (await newToken(s1)).body.token as string;
      await t.http().post('/auth/logout-everywhere').set('Cookie', `iop_session=${s1}`).set('Origin', origin).expect(204);
      expect((await bearerMe(everywhere)).status).toBe(401);

      const s2 = sessionOf(await login(newAddress(), who.email, PASSWORD));
      const disabledToken = (await newToken(s2)).body.token as string;
      await t.admin().put(`/accounts/${who.id}/disabled`).send({ disabled: true }).expect(200);
      expect((await me(s2)).status).toBe(401);
      expect((await bearerMe(disabledToken)).status).toBe(401);
      await t.admin().put(`/accounts/${who.id}/disabled`).send({ disabled: false }).expect(200);
      expect((await me(s2)).status).toBe(401);
      expect((await bearerMe(disabledToken)).status).toBe(401);
    });

    it('lets an API token expire: API_TOKEN_TTL_DAYS (90) by default, sooner when asked, never later', async () => {
      const who = await account();
      const session = sessionOf(await login(newAddress(), who.email, PASSWORD));
      const start = t.clock.now().getTime();
      const standard = await newToken(session);
      expect(standard.status).toBe(201);
      expect(new Date(standard.body.expiresAt as string).getTime()).toBe(start + 90 * 86_400_000);
      const short = await newToken(session, { expiresInDays: 1 });
      expect(short.status).toBe(201);
      expect((await newToken(session, { expiresInDays: 91 })).status).toBe(400);

      t.clock.advance(86_400_000 + 1000);
      expect((await bearerMe(short.body.token as string)).status).toBe(401);
      expect((await bearerMe(standard.body.token as string)).status).toBe(200);
      t.clock.advance(89 * 86_400_000);
      expect((await bearerMe(standard.body.token as string)).status).toBe(401);
    });

    it("ends a person's calendar link with their account", async () => {
      const who = await account();
      const { token } = (await t.as(who.id).post(`/people/${who.id}/calendar-token`).expect(201)).body as { token: string };
      await t.http().get('/calendar.ics').query({ token }).expect(200);
      await t.admin().put(`/accounts/${who.id}/disabled`).send({ disabled: true }).expect(200);
      await t.http().get('/calendar.ics').query({ token }).expect(404);
      // Nor does one issued for the disabled account by the office work.
      const issuedAfter = (await t.as(p.secretariat.id).post(`/people/${who.id}/calendar-token`).expect(201)).body as { token: string };
      await t.http().get('/calendar.ics').query({ token: issuedAfter.token }).expect(404);
      await t.admin().put(`/accounts/${who.id}/disabled`).send({ disabled: false }).expect(200);
      await t.http().get('/calendar.ics').query({ token }).expect(404);
    });
  });

  describe('the password rule (NIST SP 800-63B)', () => {
    it.each([
      ['aaaaaaaaaaaa', /upprepade tecken|vanligaste/],
      ['short-pw', /minst 12 tecken/],
      ['password1234', /vanligaste/],
      ['P@ssw0rd2024!', /vanligaste/],
      ['Lösenord2024!!', /vanligaste/],
      ['qwertyuiopå1', /tangentbordsmönster|vanligaste/],
      ['123456789012', /följd|vanligaste/],
      ['abcdefghijklm', /följd/],
      ['abcabcabcabc', /upprepade/],
      ['iop-motorn-2025', /vanligaste/],
      ['x'.repeat(129), /högst 128/],
    ])('refuses %j with a Swedish reason', async (password, reason) => {
      const who = await account();
      const res = await t.admin().put(`/accounts/${who.id}/password`).send({ password });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(reason);
    });

    it("refuses the person's own name or e-mail, and takes a long passphrase with no composition rules", async () => {
      const who = await account();
      expect((await t.admin().put(`/accounts/${who.id}/password`).send({ password: `${who.email.split('@')[0]}-hemligt!` })).status).toBe(400);
      expect(passwordProblem('Karin Ekström 1975!', { name: 'Karin Ekström', email: 'karin.ekstrom@example.se' })).toMatch(/namn eller din e-postadress/);
      expect((await t.admin().put(`/accounts/${who.id}/password`).send({ password: 'kaffe i solen på tisdagar' })).status).toBe(200);
      expect(passwordProblem('é'.repeat(2) + 'tt långt lösenord utan siffror')).toBeNull();
      expect(passwordProblem('y'.repeat(64))).not.toBeNull();
      expect(passwordProblem('en mening som är lång nog att minnas och skriva, 64 tecken i allt!')).toBeNull();
    });
  });

  describe('attempts on agreements one cannot see', () => {
    let agreementId: string;
    let outsider: string;
    const historyLength = async (id: string) => (await t.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM audit_event WHERE case_id = $1`, [id]))[0].n;
    const securityRows = async (personId: string) =>
      t.dataSource.query<Array<{ agreement_id: string; event_type: string }>>(`SELECT case_id AS agreement_id, event_type FROM security_event WHERE person_id = $1 ORDER BY id`, [personId]);

    beforeAll(async () => {
      agreementId = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
      const redCross = (await t.admin().post('/organisations').send({ name: 'Röda Korset Linköping', organisationNumber: '802002-8711', kind: 'civil_society' }).expect(201)).body as { id: string };
      outsider = (await createPerson(t, { name: 'Utomstående Ulla', email: 'ulla@example.se', organisationId: redCross.id }, ['signatory'])).id;
    });

    it('answers a real and a random id with the same 404, writes nothing into the chain, and logs both in the security log', async () => {
      const before = await historyLength(agreementId);
      const real = await t.as(outsider).post(`/agreements/${agreementId}/events`).send({ type: 'ACCEPT_INITIATIVE' });
      const randomId = randomUUID();
      const random = await t.as(outsider).post(`/agreements/${randomId}/events`).send({ type: 'ACCEPT_INITIATIVE' });
      expect(real.status).toBe(404);
      expect(random.status).toBe(404);
      expect(real.body).toEqual(random.body);
      // An edit of the terms is refused before its input is read: the same.
      const { proposedByOrganisationId: _p, ...terms } = bromodellenBody(p);
      expect((await t.as(outsider).put(`/agreements/${agreementId}`).send(terms)).status).toBe(404);
      expect(await historyLength(agreementId)).toBe(before);
      expect(await securityRows(outsider)).toEqual([
        { agreement_id: agreementId, event_type: 'ACCEPT_INITIATIVE' },
        { agreement_id: randomId, event_type: 'ACCEPT_INITIATIVE' },
        { agreement_id: agreementId, event_type: 'UPDATE_TERMS' },
      ]);
      // The security log is append-only.
      await expect(t.dataSource.query(`DELETE FROM security_event`)).rejects.toThrow(/bara kan läggas till/);
    });

    it('throttles a person who keeps trying: 429 after 10 a minute, recording no more, and lets them on a minute later', async () => {
      t.clock.advance(61_000);
      const statuses: number[] = [];
      for (let i = 0; i < 14; i += 1) statuses.push((await t.as(outsider).post(`/agreements/${i % 2 ? agreementId : randomUUID()}/events`).send({ type: 'ACCEPT_INITIATIVE' })).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
      expect(statuses.slice(10)).toEqual(Array(4).fill(429));
      expect((await securityRows(outsider)).length).toBe(3 + 10);
      // Others are not slowed down, and refusals on an agreement one can see still go into its chain.
      const before = await historyLength(agreementId);
      await t.as(p.ehSignatory.id).post(`/agreements/${agreementId}/events`).send({ type: 'ACCEPT_INITIATIVE' }).expect(403);
      expect(await historyLength(agreementId)).toBe(before + 1);
      t.clock.advance(61_000);
      expect((await t.as(outsider).post(`/agreements/${agreementId}/events`).send({ type: 'ACCEPT_INITIATIVE' })).status).toBe(404);
    });
  });
});
