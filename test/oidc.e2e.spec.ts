/**
 * Sign-in through the municipality's identity provider (OpenID Connect) against a real provider:
 * `oidc-provider` in its own process (test/support/oidc-provider.mjs, an ES module Jest could not
 * load), reached over loopback HTTP like the app itself. A small cookie-keeping "browser" follows
 * the redirects and submits the provider's login and consent forms.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp, type StartedApp } from '@app/bootstrap';
import { WRONG_CREDENTIALS } from '@app/auth/login.service';
import { OIDC_BAD_STATE, OIDC_LOGIN_TTL_MS, OIDC_OFF } from '@app/auth/oidc.service';
import { hashPassword } from '@app/auth/passwords';
import { sha256Hex } from '@app/auth/secrets';
import { ClockService } from '@app/clock/clock.service';
import { ConfigError, loadConfig } from '@app/config/app-config';
import { JsonLogger } from '@app/logging/json-logger';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { freePort } from '@test/support/service-process';
import { startTestApp } from '@test/support/test-app';

const CLIENT_ID = 'iop-motorn';
const CLIENT_SECRET = 'klienthemlighet-for-testerna-0123456789';
const PASSWORD = 'rätt-hästbatteri-häftklammer-17';

/** The provider's accounts; the devInteractions login form takes the sub as the login name. */
const PROVIDER_ACCOUNTS = {
  'nina-sub': { email: 'nina@example.se', email_verified: true },
  'nina-annan': { email: 'Nina@Example.se', email_verified: true },
  'nina-obekraftad': { email: 'nina@example.se', email_verified: false },
  'bilda-sub': { email: 'bilda@example.se', userinfoOnly: true },
  'mikaela-sub': { email: 'mikaela@example.se', email_verified: true },
  'eh-sub': { email: 'eh@example.se', email_verified: true },
  'okand-sub': { email: 'okand@example.se', email_verified: true },
};

interface Cookie {
  host: string;
  path: string;
  name: string;
  value: string;
}

/** Enough of a browser: cookies per host and path, redirects followed by the test, forms posted. */
class Browser {
  private readonly jar = new Map<string, Cookie>();

  async get(url: string): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  async post(url: string, form: Record<string, string>): Promise<Response> {
    return this.send(url, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  setCookie(cookie: Cookie): void {
    this.jar.set(`${cookie.host} ${cookie.path} ${cookie.name}`, cookie);
  }

  cookie(host: string, name: string): string | undefined {
    return [...this.jar.values()].find((c) => c.host === host && c.name === name)?.value;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const target = new URL(url);
    const cookies = [...this.jar.values()].filter((c) => c.host === target.hostname && (target.pathname === c.path || target.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)));
    const headers = new Headers(init.headers);
    if (cookies.length > 0) headers.set('cookie', cookies.map((c) => `${c.name}=${c.value}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) this.store(target, line);
    return res;
  }

  private store(from: URL, line: string): void {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const cookie: Cookie = { host: from.hostname, path: '/', name: pair.slice(0, eq), value: pair.slice(eq + 1) };
    let expired = false;
    for (const attribute of attributes) {
      const [key, value = ''] = attribute.split('=');
      if (/^path$/i.test(key)) cookie.path = value;
      if (/^max-age$/i.test(key) && Number(value) <= 0) expired = true;
      if (/^expires$/i.test(key) && Date.parse(value) <= Date.now()) expired = true;
    }
    if (expired) this.jar.delete(`${cookie.host} ${cookie.path} ${cookie.name}`);
    else this.setCookie(cookie);
  }
}

const locationOf = (res: Response, base: string): string => new URL(res.headers.get('location') ?? '', base).href;
const setCookieNamed = (res: Response, name: string): string | undefined => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));

interface ProviderProcess {
  issuer: string;
  stop(): Promise<void>;
}

/** Starts the provider and resolves with its issuer once it prints `listening <issuer>`. */
async function startProvider(redirectUri: string): Promise<ProviderProcess> {
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, [path.join(__dirname, 'support', 'oidc-provider.mjs')], {
    cwd: path.resolve(__dirname, '..'),
    env: {
      PATH: process.env.PATH ?? '',
      OIDC_TEST_CLIENT_ID: CLIENT_ID,
      OIDC_TEST_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_TEST_REDIRECT_URI: redirectUri,
      OIDC_TEST_ACCOUNTS: JSON.stringify(PROVIDER_ACCOUNTS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  const issuer = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const listening = /^listening (\S+)$/m.exec(stdout);
      if (listening) resolve(listening[1]);
    });
    child.once('error', reject);
    void exited.then(([code]) => reject(new Error(`OpenID-providern avslutades (${String(code)}) innan den lyssnade:\n${stderr}`)));
  });
  return {
    issuer,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/**
 * People and accounts written straight to the database: what is tested here is sign-in, not how
 * administrators register people. Nina signs in only through the provider (no password).
 */
async function seedPeople(ds: DataSource) {
  const org = async (name: string, organisationNumber: string, kind: string): Promise<string> =>
    (await ds.query<Array<{ id: string }>>(`INSERT INTO organisation (name, organisation_number, kind) VALUES ($1, $2, $3) RETURNING id`, [name, organisationNumber, kind]))[0].id;
  const person = async (name: string, email: string, organisationId: string): Promise<string> =>
    (await ds.query<Array<{ id: string }>>(`INSERT INTO person (name, email, organisation_id) VALUES ($1, $2, $3) RETURNING id`, [name, email, organisationId]))[0].id;
  const account = async (personId: string, password: string | null, roles: string[], disabledAt: Date | null = null): Promise<void> => {
    await ds.query(`INSERT INTO account (person_id, password_hash, roles, disabled_at) VALUES ($1, $2, $3, $4)`, [personId, password && (await hashPassword(password)), roles, disabledAt]);
  };
  const kommun = await org('Linköpings kommun', '212000-0449', 'municipality');
  const bilda = await org('Studieförbundet Bilda Sydöst', '817602-0520', 'civil_society');
  const erikshjalpen = await org('Erikshjälpen Linköping', '802011-1913', 'civil_society');
  const nina = await person('Nämndsekreterare Nina', 'nina@example.se', kommun);
  const mikaela = await person('Mikaela Schullström', 'mikaela@example.se', kommun); // no account
  const bildaSignatory = await person('Bilda Firmatecknare', 'bilda@example.se', bilda);
  const ehSignatory = await person('Erikshjälpen Firmatecknare', 'eh@example.se', erikshjalpen);
  await account(nina, null, ['secretariat']);
  await account(bildaSignatory, PASSWORD, ['signatory', 'member']);
  await account(ehSignatory, PASSWORD, ['signatory', 'member'], new Date());
  return { kommun, nina, mikaela, bildaSignatory, ehSignatory };
}

describe('sign-in through the identity provider (OpenID Connect)', () => {
  let provider: ProviderProcess | undefined;
  let db: TestDatabase | undefined;
  let started: StartedApp | undefined;
  let ds: DataSource;
  let clock: ClockService;
  let appUrl: string;
  const appHost = 'localhost';
  let people: Awaited<ReturnType<typeof seedPeople>>;

  const http = () => request(started!.app.getHttpServer());
  const sessionCount = async (): Promise<number> => (await ds.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM session`))[0].n;

  /**
   * From GET /auth/oidc/login through the provider's forms (login as `sub`, consent) to the URL on
   * the app the provider sends the browser back to; that last redirect is not followed.
   */
  async function throughProvider(browser: Browser, sub: string, options: { returnTo?: string; cancel?: boolean } = {}): Promise<{ authorizationUrl: URL; callbackUrl: string }> {
    const { returnTo } = options;
    const start = await browser.get(`${appUrl}/auth/oidc/login${returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`}`);
    expect(start.status).toBe(302);
    const authorizationUrl = new URL(locationOf(start, appUrl));
    let next = authorizationUrl.href;
    for (let step = 0; step < 12; step += 1) {
      if (next.startsWith(`${appUrl}/`)) return { authorizationUrl, callbackUrl: next };
      const res = await browser.get(next);
      if (res.status >= 300 && res.status < 400) {
        next = locationOf(res, next);
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) throw new Error(`providern svarade ${res.status} på ${next}:\n${html.slice(0, 2000)}`);
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`oväntad sida hos providern:\n${html.slice(0, 500)}`);
      const cancel = /<a href="([^"]+)">\[ Cancel \]<\/a>/.exec(html)?.[1];
      if (options.cancel && cancel) {
        next = new URL(cancel, next).href;
        continue;
      }
      const posted = await browser.post(new URL(action, next).href, prompt === 'login' ? { prompt, login: sub, password: 'vad-som-helst' } : { prompt });
      expect(posted.status).toBe(303);
      next = locationOf(posted, next);
    }
    throw new Error('providern skickade aldrig tillbaka webbläsaren');
  }

  beforeAll(async () => {
    // A real port, the one PUBLIC_BASE_URL and the redirect URI registered at the provider name.
    const port = await freePort();
    appUrl = `http://${appHost}:${port}`;
    provider = await startProvider(`${appUrl}/auth/oidc/callback`);
    db = await createTestDatabase();
    started = await createApp({
      env: {
        ...db.env,
        LOG_LEVEL: 'error',
        TIMER_SWEEP_INTERVAL_MS: '0',
        OUTBOX_SEND_INTERVAL_MS: '0',
        PUBLIC_BASE_URL: appUrl,
        OIDC_ISSUER_URL: provider.issuer,
        OIDC_CLIENT_ID: CLIENT_ID,
        OIDC_CLIENT_SECRET: CLIENT_SECRET,
      },
      port,
      logger: new JsonLogger('error', () => undefined),
    });
    ds = started.app.get(DataSource);
    // Left on the system clock: the provider's tokens carry real time.
    clock = started.app.get(ClockService);
    people = await seedPeople(ds);
  });

  afterAll(async () => {
    await started?.app.close();
    await db?.drop();
    await provider?.stop();
  });

  it('signs a person in: PKCE, state and nonce to the provider, back with a session cookie that /auth/me accepts', async () => {
    const browser = new Browser();
    const { authorizationUrl, callbackUrl } = await throughProvider(browser, 'nina-sub', { returnTo: '/agreements?state=active' });

    expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(`${provider!.issuer}/auth`);
    const q = authorizationUrl.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(CLIENT_ID);
    expect(q.get('redirect_uri')).toBe(`${appUrl}/auth/oidc/callback`);
    expect(q.get('scope')?.split(' ').sort()).toEqual(['email', 'openid']);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const state = q.get('state') ?? '';
    expect(state).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    // Pending server-side under the state's hash only, and bound to this browser by a cookie.
    const pending = await ds.query(`SELECT state_hash, return_to FROM oidc_login WHERE state_hash = $1`, [sha256Hex(state)]);
    expect(pending).toEqual([{ state_hash: sha256Hex(state), return_to: '/agreements?state=active' }]);
    expect(JSON.stringify(await ds.query(`SELECT * FROM oidc_login`))).not.toContain(state);
    expect(browser.cookie(appHost, 'iop_oidc_state')).toBe(state);

    const callback = await browser.get(callbackUrl);
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe(`${appUrl}/agreements?state=active`);
    const setCookie = setCookieNamed(callback, 'iop_session') ?? '';
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Path=\//i);
    expect(browser.cookie(appHost, 'iop_oidc_state')).toBeUndefined();
    expect(await ds.query(`SELECT 1 FROM oidc_login WHERE state_hash = $1`, [sha256Hex(state)])).toEqual([]);

    const me = await browser.get(`${appUrl}/auth/me`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      person: { id: people.nina, name: 'Nämndsekreterare Nina', email: 'nina@example.se' },
      organisation: { id: people.kommun, name: 'Linköpings kommun' },
      roles: ['secretariat'],
    });
    const [account] = await ds.query(`SELECT oidc_subject, password_hash FROM account WHERE person_id = $1`, [people.nina]);
    expect(account).toEqual({ oidc_subject: 'nina-sub', password_hash: null });

    // The same callback again, even with the state cookie put back, is refused: the state was consumed.
    browser.setCookie({ host: appHost, path: '/auth/oidc/callback', name: 'iop_oidc_state', value: state });
    const sessionsBefore = await sessionCount();
    const replay = await browser.get(callbackUrl);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({ error: 'validation_failed', message: OIDC_BAD_STATE });
    expect(setCookieNamed(replay, 'iop_session')).toBeUndefined();
    expect(await sessionCount()).toBe(sessionsBefore);
  });

  it('takes the e-mail from userinfo when the ID token has none, and revokes a session presented before sign-in', async () => {
    const login = await http().post('/auth/login').send({ email: 'bilda@example.se', password: PASSWORD });
    expect(login.status).toBe(200);
    const before = /^iop_session=([^;]+)/.exec(([] as string[]).concat(login.headers['set-cookie'] ?? []).join('\n'))?.[1] ?? '';
    const browser = new Browser();
    browser.setCookie({ host: appHost, path: '/', name: 'iop_session', value: before });
    expect((await browser.get(`${appUrl}/auth/me`)).status).toBe(200);

    const { callbackUrl } = await throughProvider(browser, 'bilda-sub');
    const callback = await browser.get(callbackUrl);
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe(`${appUrl}/`);
    const after = browser.cookie(appHost, 'iop_session');
    expect(after).toBeDefined();
    expect(after).not.toBe(before);

    const me = await browser.get(`${appUrl}/auth/me`);
    expect(await me.json()).toMatchObject({ person: { id: people.bildaSignatory }, roles: ['signatory', 'member'] });
    expect((await http().get('/auth/me').set('Cookie', `iop_session=${before}`)).status).toBe(401);
  });

  it.each([
    ['an e-mail no person has', 'okand-sub', /^Det finns inget konto i IOP-motorn för okand@example\.se/],
    ['a person without an account', 'mikaela-sub', /^Det finns inget konto i IOP-motorn för mikaela@example\.se/],
    ['a disabled account', 'eh-sub', /^Kontot för eh@example\.se är avstängt/],
    ['an unverified e-mail', 'nina-obekraftad', /^Identitetstjänsten lämnade ingen bekräftad e-postadress/],
    ['the same e-mail from another sub than the first sign-in', 'nina-annan', /^Kontot för nina@example\.se är kopplat till en annan identitet/],
  ])('refuses %s with 403 and opens no session', async (_case, sub, message) => {
    const browser = new Browser();
    const { callbackUrl } = await throughProvider(browser, sub);
    const sessionsBefore = await sessionCount();
    const callback = await browser.get(callbackUrl);
    expect(callback.status).toBe(403);
    expect(await callback.json()).toEqual({ error: 'forbidden', message: expect.stringMatching(message) });
    expect(setCookieNamed(callback, 'iop_session')).toBeUndefined();
    expect(await sessionCount()).toBe(sessionsBefore);
    const [nina] = await ds.query(`SELECT oidc_subject FROM account WHERE person_id = $1`, [people.nina]);
    expect(nina.oidc_subject).toBe('nina-sub');
  });

  it('refuses a tampered state, a callback opened in another browser (login CSRF) and one that took too long, with 400', async () => {
    const tampered = new Browser();
    const first = await throughProvider(tampered, 'nina-sub');
    const forged = new URL(first.callbackUrl);
    forged.searchParams.set('state', `${forged.searchParams.get('state')}x`);
    const badState = await tampered.get(forged.href);
    expect(badState.status).toBe(400);
    expect(await badState.json()).toEqual({ error: 'validation_failed', message: OIDC_BAD_STATE });

    // The victim's browser has no state cookie for the attacker's sign-in.
    const attacker = new Browser();
    const { callbackUrl } = await throughProvider(attacker, 'nina-sub');
    const victim = await new Browser().get(callbackUrl);
    expect(victim.status).toBe(400);
    expect(setCookieNamed(victim, 'iop_session')).toBeUndefined();

    const slow = new Browser();
    const late = await throughProvider(slow, 'nina-sub');
    clock.advance(OIDC_LOGIN_TTL_MS + 1000);
    try {
      const expired = await slow.get(late.callbackUrl);
      expect(expired.status).toBe(400);
      expect(await expired.json()).toEqual({ error: 'validation_failed', message: OIDC_BAD_STATE });
    } finally {
      clock.useSystemTime();
    }
  });

  it('answers 401 when the user cancels at the provider', async () => {
    const browser = new Browser();
    const { callbackUrl } = await throughProvider(browser, 'nina-sub', { cancel: true });
    expect(new URL(callbackUrl).searchParams.get('error')).toBe('access_denied');
    const callback = await browser.get(callbackUrl);
    expect(callback.status).toBe(401);
    expect(await callback.json()).toEqual({ error: 'unauthenticated', message: 'Inloggningen avbröts hos identitetstjänsten.' });
    expect(setCookieNamed(callback, 'iop_session')).toBeUndefined();
  });

  it('sends the browser back only to a path on the service', async () => {
    for (const returnTo of ['//angripare.example/', 'https://angripare.example/', '/\\angripare.example', 'agreements']) {
      const res = await new Browser().get(`${appUrl}/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'validation_failed', problems: [{ field: 'returnTo', message: expect.stringMatching(/^returnTo ska vara en sökväg/) }] });
    }
  });

  it('does not let an account without a password sign in with one (the same answer as a wrong password)', async () => {
    const noPassword = await http().post('/auth/login').send({ email: 'nina@example.se', password: PASSWORD });
    const wrongPassword = await http().post('/auth/login').send({ email: 'bilda@example.se', password: `${PASSWORD}-fel` });
    expect(noPassword.status).toBe(401);
    expect(noPassword.body).toEqual({ error: 'unauthenticated', message: WRONG_CREDENTIALS });
    expect(noPassword.body).toEqual(wrongPassword.body);
    expect(noPassword.headers['set-cookie']).toBeUndefined();
  });

  it('answers 502 when the discovery document names another issuer than OIDC_ISSUER_URL (mix-up)', async () => {
    const issuerUrl = provider!.issuer.replace('127.0.0.1', 'localhost');
    const mixedUp = await startTestApp({ env: { OIDC_ISSUER_URL: issuerUrl, OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET } });
    try {
      const res = await mixedUp.http().get('/auth/oidc/login');
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ message: 'Kommunens identitetstjänst svarar inte som väntat. Försök igen om en stund.' });
    } finally {
      await mixedUp.close();
    }
  });

  it('answers 404 on both endpoints when OIDC is not configured', async () => {
    const off = await startTestApp();
    try {
      for (const url of ['/auth/oidc/login', '/auth/oidc/callback?code=x&state=y']) {
        const res = await off.http().get(url);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ error: 'not_found', message: OIDC_OFF });
      }
    } finally {
      await off.close();
    }
  });

  it('is configured by all three OIDC_* variables or none', () => {
    const base = { PUBLIC_BASE_URL: 'https://iop.kommun.example' };
    expect(loadConfig(base).oidc).toBeUndefined();
    const on = loadConfig({ ...base, OIDC_ISSUER_URL: 'https://idp.kommun.example/realms/anstallda', OIDC_CLIENT_ID: 'iop', OIDC_CLIENT_SECRET: 's' });
    expect(on.oidc).toEqual({ issuerUrl: 'https://idp.kommun.example/realms/anstallda', clientId: 'iop', clientSecret: 's', redirectUri: 'https://iop.kommun.example/auth/oidc/callback' });

    const problem = (env: Record<string, string>): string => {
      try {
        loadConfig({ ...base, ...env });
      } catch (error) {
        if (error instanceof ConfigError) return error.message;
        throw error;
      }
      return 'inget fel';
    };
    expect(problem({ OIDC_ISSUER_URL: 'https://idp.kommun.example' })).toMatch(/OIDC_CLIENT_ID och OIDC_CLIENT_SECRET saknas/);
    expect(problem({ OIDC_ISSUER_URL: 'http://idp.kommun.example', OIDC_CLIENT_ID: 'iop', OIDC_CLIENT_SECRET: 's' })).toMatch(/OIDC_ISSUER_URL måste vara en https-adress/);
    expect(problem({ OIDC_ISSUER_URL: 'inte en adress', OIDC_CLIENT_ID: 'iop', OIDC_CLIENT_SECRET: 's' })).toMatch(/OIDC_ISSUER_URL måste vara identitetstjänstens/);
  });
});
