/**
 * Issue 11: the browser's answer when the database is gone. The app runs on a PostgreSQL this test
 * starts itself (embedded binaries, as test/postgres-restart.e2e.spec.ts); a person signs in with a
 * real session cookie, then the database is stopped under the app: a page asked for as HTML answers
 * 503 with Retry-After and a Swedish page without technical details, the API answers 503 JSON
 * database_unavailable; started again, the same page answers 200 with the same cookie.
 */
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { ACTOR_HEADER } from '@app/auth/actor.resolver';
import { AccountsService } from '@app/auth/accounts.service';
import { createApp, type StartedApp } from '@app/bootstrap';
import { ClockService } from '@app/clock/clock.service';
import { startEmbeddedPostgres, type EmbeddedPostgres, stopEmbeddedServer } from '@app/database/embedded-postgres';
import { JsonLogger } from '@app/logging/json-logger';
import { clientsOf, TEST_ADMINISTRATOR, type TestClients } from '@test/support/test-app';
import { encodeForm } from './support/http-session';
import { PASSWORD } from './support/session';

jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the Swedish 503 page when the database is gone', () => {
  let root: string;
  let pg: EmbeddedPostgres;
  let started: StartedApp;
  let t: TestClients;
  let baseUrl: string;
  let cookie: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'iop-pg-503-'));
    await fs.chmod(root, 0o755);
    pg = await startEmbeddedPostgres({ databaseDir: path.join(root, 'data'), database: 'iop_503', stopOnSignals: false, roles: { owner: 'iop_owner', app: 'iop_app' } });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    started = await createApp({
      env: { DATABASE_URL: pg.appUrl as string, MIGRATION_DATABASE_URL: pg.ownerUrl as string, AUDIT_CHECKPOINT_INTERVAL_HOURS: '0', RETENTION_INTERVAL_MS: '0', LOG_LEVEL: 'error', TRUST_ACTOR_HEADER: 'on', TIMER_SWEEP_INTERVAL_MS: '0', OUTBOX_SEND_INTERVAL_MS: '0', PUBLIC_BASE_URL: baseUrl },
      port,
      logger: new JsonLogger('error', () => undefined),
    });
    started.app.get(ClockService).freeze('2023-05-02T08:00:00Z');
    t = await clientsOf(started);
    await started.app.get(AccountsService).upsert(t.administratorId, PASSWORD, ['administrator']);
    const signIn = await request(baseUrl).post('/logga-in').set('Origin', baseUrl).type('form').send(encodeForm([['email', TEST_ADMINISTRATOR.email], ['password', PASSWORD]]));
    expect(signIn.status).toBe(303);
    cookie = ([] as string[]).concat(signIn.headers['set-cookie'] ?? []).map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('iop_session=')) ?? '';
    expect(cookie).not.toBe('');
  });

  afterAll(async () => {
    await started?.app.close().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  const page = () => request(baseUrl).get('/administration').set('Cookie', cookie).set('Accept', 'text/html');
  const api = () => request(baseUrl).get('/agreements').set(ACTOR_HEADER, t.administratorId).set('Accept', 'application/json');

  it('answers 503 in Swedish (page and JSON) while the database is down, and 200 once it is back', async () => {
    const before = await page();
    expect(before.status).toBe(200);
    expect(before.text).toContain('Administration');

    await stopEmbeddedServer(pg.databaseDir, 'fast');

    const down = await page();
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toMatch(/^\d+$/);
    expect(down.headers['content-type']).toMatch(/^text\/html/);
    expect(down.text).toContain('<html lang="sv"');
    expect(down.text).toContain('Tjänsten är tillfälligt otillgänglig');
    expect(down.text).toContain('Databasen går inte att nå just nu');
    // No stack trace, driver message or file path on the page.
    expect(down.text).not.toMatch(/ECONNREFUSED|at [\w.<>]+ \(|\.ts:\d+|\.js:\d+|QueryFailedError|Error:/);

    const apiDown = await api();
    expect(apiDown.status).toBe(503);
    expect(apiDown.headers['retry-after']).toMatch(/^\d+$/);
    expect(apiDown.headers['content-type']).toMatch(/json/);
    expect(JSON.stringify(apiDown.body)).toContain('database_unavailable');
    expect(JSON.stringify(apiDown.body)).not.toMatch(/ECONNREFUSED|\.ts:\d+/);

    pg = await startEmbeddedPostgres({ databaseDir: path.join(root, 'data'), port: pg.port, database: 'iop_503', stopOnSignals: false, roles: { owner: 'iop_owner', app: 'iop_app' } });
    // The pool reconnects on the next request; allow it a few tries.
    let after = await page();
    for (let i = 0; i < 20 && after.status !== 200; i++) {
      await sleep(250);
      after = await page();
    }
    expect(after.status).toBe(200);
    expect(after.text).toContain('Administration');
    expect((await api()).status).toBe(200);
  });
});
