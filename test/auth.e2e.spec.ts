import type { Response } from 'supertest';
import request from 'supertest';
import { createApp, type StartedApp } from '@app/bootstrap';
import { AccountsService } from '@app/auth/accounts.service';
import { WRONG_CREDENTIALS } from '@app/auth/login.service';
import { ClockService } from '@app/clock/clock.service';
import { JsonLogger } from '@app/logging/json-logger';
import { bromodellenBody, createBromodellenParties, type BromodellenParties } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

const PASSWORD = 'rätt-hästbatteri-häftklammer-17';
const WRONG = 'fel-lösenord-med-hemlighet-42';
const EVIL_ORIGIN = 'https://angripare.example';

describe('sign-in: sessions, tokens, limits and CSRF', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let origin: string;
  const logLines: string[] = [];
  /** Every response body seen, except the one-time token creation (checked separately). */
  const bodies: string[] = [];
  const tokenSecrets: string[] = [];

  const seen = (res: Response): Response => {
    bodies.push(res.text ?? '');
    return res;
  };
  const login = async (email: string, password: string, headers: Record<string, string> = {}): Promise<Response> =>
    seen(await t.http().post('/auth/login').set(headers).send({ email, password }));
  const sessionOf = (res: Response): string => {
    const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('iop_session='));
    if (!raw) throw new Error('ingen sessionscookie');
    return raw.slice('iop_session='.length).split(';')[0];
  };
  const cookie = (session: string): string => `iop_session=${session}`;
  const me = async (session: string, app: { getHttpServer(): unknown } = t.started.app): Promise<Response> =>
    seen(await request(app.getHttpServer() as Parameters<typeof request>[0]).get('/auth/me').set('Cookie', cookie(session)));

  beforeAll(async () => {
    t = await startTestApp({ logger: new JsonLogger('debug', (line) => logLines.push(line)) });
    origin = new URL(t.started.config.publicBaseUrl).origin;
    p = await createBromodellenParties(t);
    const accounts = t.started.app.get(AccountsService);
    await accounts.upsert(p.secretariat.id, PASSWORD, ['secretariat']);
    await accounts.upsert(p.bildaSignatory.id, PASSWORD, ['signatory', 'member']);
    await accounts.upsert(p.ehSignatory.id, PASSWORD, ['signatory', 'member']);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('logs in with an HttpOnly, SameSite=Lax cookie, and /auth/me knows the person', async () => {
    const res = await login('nina@example.se', PASSWORD);
    expect(res.status).toBe(200);
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('iop_session=')) ?? '';
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Path=\//i);
    expect(setCookie).not.toMatch(/;\s*Secure/i); // PUBLIC_BASE_URL is http here
    expect(res.body).toMatchObject({
      person: { id: p.secretariat.id, name: 'Nämndsekreterare Nina', email: 'nina@example.se' },
      organisation: { id: p.kommun.id, name: 'Linköpings kommun', kind: 'municipality' },
      roles: ['secretariat'],
    });
    expect(res.text).not.toMatch(/argon2|password|hash/i);

    const who = await me(sessionOf(res));
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({ person: { id: p.secretariat.id }, roles: ['secretariat'] });
    expect(seen(await t.http().get('/auth/me')).status).toBe(401);
  });

  it('answers a wrong password and an unknown e-mail with the same 401', async () => {
    const wrongPassword = await login('nina@example.se', WRONG);
    const unknownEmail = await login('ingen@example.se', WRONG);
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual({ error: 'unauthenticated', message: WRONG_CREDENTIALS });
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    expect(wrongPassword.headers['set-cookie']).toBeUndefined();
  });

  it('makes a session id presented before login useless after it (no fixation)', async () => {
    // An id planted by an attacker is never adopted …
    const planted = 'planterad-av-angriparen';
    const first = await login('bilda@example.se', PASSWORD, { Cookie: cookie(planted), Origin: origin });
    expect(first.status).toBe(200);
    const a = sessionOf(first);
    expect(a).not.toBe(planted);
    expect((await me(planted)).status).toBe(401);
    // … and a live session sent along with a new login is revoked by it.
    const second = await login('bilda@example.se', PASSWORD, { Cookie: cookie(a), Origin: origin });
    expect(second.status).toBe(200);
    const b = sessionOf(second);
    expect(b).not.toBe(a);
    expect((await me(a)).status).toBe(401);
    expect((await me(b)).status).toBe(200);
  });

  describe('with a second instance on the same database', () => {
    let second: StartedApp;

    beforeAll(async () => {
      second = await createApp({
        env: { ...t.db.env, LOG_LEVEL: 'error', TIMER_SWEEP_INTERVAL_MS: '0', OUTBOX_SEND_INTERVAL_MS: '0' },
        port: 0,
        logger: new JsonLogger('debug', (line) => logLines.push(line)),
      });
      second.app.get(ClockService).freeze(t.clock.now());
    });
    afterAll(async () => {
      await second?.app.close();
    });

    it('refuses a session logged out everywhere on the other instance', async () => {
      const s1 = sessionOf(await login('nina@example.se', PASSWORD));
      const s2 = sessionOf(await login('nina@example.se', PASSWORD));
      expect((await me(s1, second.app)).status).toBe(200);
      expect((await me(s2, second.app)).status).toBe(200);

      const out = seen(await t.http().post('/auth/logout-everywhere').set('Cookie', cookie(s1)).set('Origin', origin));
      expect(out.status).toBe(204);
      expect((await me(s1, second.app)).status).toBe(401);
      expect((await me(s2, second.app)).status).toBe(401);
    });

    it('refuses a session logged out on the other instance', async () => {
      const s = sessionOf(await login('nina@example.se', PASSWORD));
      expect((await me(s)).status).toBe(200);
      const out = seen(await request(second.app.getHttpServer()).post('/auth/logout').set('Cookie', cookie(s)).set('Origin', origin));
      expect(out.status).toBe(204);
      expect((await me(s)).status).toBe(401);
    });
  });

  it('slows brute force down: the 6th failure in 15 minutes gets 429 with Retry-After, 16 minutes later the right password works', async () => {
    for (let i = 1; i <= 5; i++) expect((await login('eh@example.se', `${WRONG}-${i}`)).status).toBe(401);
    const sixth = await login('eh@example.se', `${WRONG}-6`);
    expect(sixth.status).toBe(429);
    const retryAfter = Number(sixth.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(sixth.body).toMatchObject({ error: 'rate_limited', message: expect.stringMatching(/^För många misslyckade inloggningsförsök/) });
    // Even the right password is not tried while the account is locked.
    expect((await login('eh@example.se', PASSWORD)).status).toBe(429);

    t.clock.advance(16 * 60_000);
    const later = await login('eh@example.se', PASSWORD);
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ person: { id: p.ehSignatory.id } });
  });

  it('refuses a cross-origin POST with a valid session cookie and lets a same-origin one through', async () => {
    const s = sessionOf(await login('nina@example.se', PASSWORD));
    const person = (email: string) => ({ name: 'Ny Person', email, organisationId: p.kommun.id });
    const count = async () => (await t.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM person`))[0]?.n;
    const before = await count();

    const evil = seen(await t.http().post('/people').set('Cookie', cookie(s)).set('Origin', EVIL_ORIGIN).send(person('ond@example.se')));
    expect(evil.status).toBe(403);
    expect(evil.body).toMatchObject({ error: 'forbidden' });
    const evilReferer = seen(await t.http().post('/people').set('Cookie', cookie(s)).set('Referer', `${EVIL_ORIGIN}/sida`).send(person('ond2@example.se')));
    expect(evilReferer.status).toBe(403);
    const noOrigin = seen(await t.http().post('/people').set('Cookie', cookie(s)).send(person('ond3@example.se')));
    expect(noOrigin.status).toBe(403);
    expect(await count()).toBe(before);

    expect(seen(await t.http().post('/people').set('Cookie', cookie(s)).set('Origin', origin).send(person('god@example.se'))).status).toBe(201);
    expect(seen(await t.http().post('/people').set('Cookie', cookie(s)).set('Referer', `${origin}/agreements`).send(person('god2@example.se'))).status).toBe(201);
    // A GET with the cookie is not state-changing; a cookieless POST is not affected.
    expect((await me(s)).status).toBe(200);
    expect(seen(await t.admin().post('/people').send(person('api@example.se'))).status).toBe(201);
    // Nor can another site log a browser in (login CSRF).
    expect((await login('nina@example.se', PASSWORD, { Origin: EVIL_ORIGIN })).status).toBe(403);
    // The web page's sign-in form likewise: no session cookie is set for a foreign origin.
    const webForm = await t.http().post('/logga-in').set('Origin', EVIL_ORIGIN).type('form').send({ email: 'nina@example.se', password: PASSWORD });
    expect(webForm.status).toBe(403);
    expect(webForm.headers['set-cookie']).toBeUndefined();
  });

  it('issues an API token once, accepts it as Bearer, lists it without the secret, and refuses it after revocation', async () => {
    const s = sessionOf(await login('bilda@example.se', PASSWORD));
    const created = await t.http().post('/auth/tokens').set('Cookie', cookie(s)).set('Origin', origin).send({ name: 'Ekonomisystemet' });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    tokenSecrets.push(token);
    expect(token).toMatch(/^iop_[A-Za-z0-9_-]{40,}$/);
    expect(created.body).toMatchObject({ id: expect.any(String), name: 'Ekonomisystemet', revokedAt: null });

    const bearer = seen(await t.http().get('/auth/me').set('Authorization', `Bearer ${token}`));
    expect(bearer.status).toBe(200);
    expect(bearer.body).toMatchObject({ person: { id: p.bildaSignatory.id }, organisation: { id: p.bilda.id }, roles: ['signatory', 'member'] });
    // Cookieless bearer requests need no Origin; a token cannot mint more tokens.
    expect(seen(await t.http().post('/auth/tokens').set('Authorization', `Bearer ${token}`).send({ name: 'mer' })).status).toBe(401);

    const list = seen(await t.http().get('/auth/tokens').set('Cookie', cookie(s)));
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ id: created.body.id, name: 'Ekonomisystemet', lastUsedAt: expect.any(String) })]);
    expect(list.body[0]).not.toHaveProperty('token');

    expect(seen(await t.http().delete(`/auth/tokens/${created.body.id}`).set('Cookie', cookie(s)).set('Origin', origin)).status).toBe(204);
    const refused = seen(await t.http().get('/auth/me').set('Authorization', `Bearer ${token}`));
    expect(refused.status).toBe(401);
    // Another person's token id is answered as if it did not exist.
    const nina = sessionOf(await login('nina@example.se', PASSWORD));
    expect(seen(await t.http().delete(`/auth/tokens/${created.body.id}`).set('Cookie', cookie(nina)).set('Origin', origin)).status).toBe(404);
  });

  it('names the signed-in person in the history of what they do', async () => {
    const s = sessionOf(await login('bilda@example.se', PASSWORD));
    const created = seen(await t.http().post('/agreements').set('Cookie', cookie(s)).set('Origin', origin).send(bromodellenBody(p)));
    expect(created.status).toBe(201);
    const history = seen(await t.http().get(`/agreements/${created.body.id}/history`).set('Cookie', cookie(s)));
    expect(JSON.stringify(history.body)).toContain('Bilda Firmatecknare');
    expect(JSON.stringify(history.body)).toContain('signatory');
  });

  it('never shows a password or token secret in a response or a log line', () => {
    expect(tokenSecrets).toHaveLength(1);
    const everything = [...bodies, ...logLines].join('\n');
    expect(logLines.some((l) => l.includes('"msg":"http"'))).toBe(true);
    for (const secret of [PASSWORD, WRONG, ...tokenSecrets, tokenSecrets[0]?.slice(4) ?? 'x']) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toMatch(/\$argon2/);
  });
});
