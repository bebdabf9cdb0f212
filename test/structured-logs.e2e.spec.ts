/**
 * The service's log lines (JSON, one per line): every line written for a request carries its id
 * and the person acting once known; no password, token, cookie or authorization ever appears.
 */
import { JsonLogger } from '@app/logging/json-logger';
import { startTestApp, type TestApp } from '@test/support/test-app';

describe('structured logs', () => {
  let t: TestApp;
  const raw: string[] = [];
  const lines = (): Array<Record<string, unknown>> => raw.map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    t = await startTestApp({ logger: new JsonLogger('info', (line) => raw.push(line)) });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('names the request and the person in the HTTP line', async () => {
    await t.admin().get('/accounts').set('x-request-id', 'logg-1').expect(200);
    const http = lines().filter((line) => line.msg === 'http' && line.requestId === 'logg-1');
    expect(http).toEqual([expect.objectContaining({ level: 'info', method: 'GET', path: '/accounts', status: 200, personId: t.administratorId })]);
    // A body read before the guard runs (input limits) keeps the person too, whatever the answer.
    await t.admin().post('/agreements').set('x-request-id', 'logg-1b').send({ unknown: true });
    const post = lines().filter((line) => line.msg === 'http' && line.requestId === 'logg-1b');
    expect(post).toEqual([expect.objectContaining({ method: 'POST', path: '/agreements', status: expect.any(Number), personId: t.administratorId })]);
  });

  it('leaves anonymous requests without a person', async () => {
    await t.http().get('/health').set('x-request-id', 'logg-2').expect(200);
    const [line] = lines().filter((entry) => entry.msg === 'http' && entry.requestId === 'logg-2');
    expect(line).toBeDefined();
    expect(line).not.toHaveProperty('personId');
  });

  it('never writes a password, a token, a cookie or an authorization header', async () => {
    await t
      .http()
      .post('/auth/login')
      .set('x-request-id', 'logg-3')
      .set('Authorization', 'Bearer loggtest-bearer-hemlighet')
      .set('Cookie', 'iop_session=loggtest-kaka-hemlighet')
      .send({ email: 'ada.admin@example.se', password: 'loggtest-losenord-hemlighet' });
    await t.http().get('/calendar.ics?token=loggtest-kalender-hemlighet').set('x-request-id', 'logg-4');
    expect(lines().some((line) => line.requestId === 'logg-3')).toBe(true);
    expect(raw.join('\n')).not.toMatch(/loggtest-[a-z]+-hemlighet/);
  });
});
