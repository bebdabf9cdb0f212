import { AccountsService } from '@app/auth/accounts.service';
import { createBromodellenParties, bromodellenBody, type BromodellenParties } from '@test/support/factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

const directives = (csp: string): Map<string, string> =>
  new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0], d.slice(d.split(/\s+/)[0].length).trim()]));

describe('security headers', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let agreementId: string;
  /** The secretariat's session cookie: the pages need a real sign-in. */
  let cookie: string;

  beforeAll(async () => {
    t = await startTestApp();
    p = await createBromodellenParties(t);
    agreementId = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    await t.started.app.get(AccountsService).upsert(p.secretariat.id, 'rubriker-test-lösenord-1', ['secretariat']);
    const login = await t.http().post('/auth/login').send({ email: 'nina@example.se', password: 'rubriker-test-lösenord-1' }).expect(200);
    cookie = String(login.headers['set-cookie']?.[0]).split(';')[0]!;
  });
  const page = (path: string) => t.http().get(path).set('Cookie', cookie).set('Accept', 'text/html');
  afterAll(() => t.close());

  it('every page has a CSP without inline script or style, is never framed, and is not sniffed', async () => {
    const res = await t.http().get('/logga-in').expect(200);
    const csp = directives(res.headers['content-security-policy'] ?? '');
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    // Plain http: HSTS would lock browsers out of the service.
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('the pages carry no inline script or style, so the policy does not break them', async () => {
    for (const path of ['/logga-in', `/overenskommelser/${agreementId}`, '/bevakning', '/portfolj']) {
      const res = await page(path).expect(200);
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(res.text).not.toMatch(/<style|\sstyle="|\son[a-z]+="/i);
    }
  });

  it('everything personal is Cache-Control: no-store (JSON, HTML, CSV, ICS, mailbox, errors); the assets may be cached', async () => {
    const as = t.as(p.secretariat.id);
    const token = (await as.post(`/people/${p.secretariat.id}/calendar-token`).expect(201)).body.token as string;
    const answers = [
      await as.get(`/agreements/${agreementId}`).expect(200),
      await as.get(`/agreements/${agreementId}/history.csv`).expect(200),
      await page(`/overenskommelser/${agreementId}/historik.csv`).expect(200),
      await page(`/overenskommelser/${agreementId}`).expect(200),
      await page('/portfolj.csv').expect(200),
      await as.get('/mailbox').expect(200),
      await as.get('/mailbox/1.eml'),
      await t.http().get('/calendar.ics').query({ token }).expect(200),
      await t.http().get('/logga-in').expect(200),
      await as.get('/agreements/00000000-0000-4000-8000-000000000000').expect(404),
    ];
    answers.forEach((res, i) => expect({ answer: i, cache: res.headers['cache-control'] }).toEqual({ answer: i, cache: 'no-store' }));
    expect((await t.http().get('/assets/iop.css').expect(200)).headers['cache-control']).toBe('public, max-age=3600');
    expect((await t.http().get('/assets/iop.js').expect(200)).headers['cache-control']).toBe('public, max-age=3600');
  });

  it('input refused before any route still carries the headers', async () => {
    const res = await t.http().post('/auth/login').set('Content-Type', 'application/json; charset=latin1').send('{}').expect(415);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('the API documentation works under its own policy (Swagger UI has an inline style)', async () => {
    const res = await t.http().get('/api/docs/').expect(200);
    const csp = directives(res.headers['content-security-policy'] ?? '');
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
  });
});

describe('security headers behind https', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_BASE_URL: 'https://iop.example.se' } });
  });
  afterAll(() => t.close());

  it('sends HSTS and asks browsers to upgrade insecure requests', async () => {
    const res = await t.http().get('/logga-in').expect(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(directives(res.headers['content-security-policy'] ?? '').has('upgrade-insecure-requests')).toBe(true);
  });
});
