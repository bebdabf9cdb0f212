import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp, StartedApp } from '@app/bootstrap';
import { ConfigError, loadConfig } from '@app/config/app-config';
import { checkNodeVersion, SUPPORTED_NODE_MAJORS } from '@app/config/node-version';
import { firstBlockedPath, readPostmasterPid, startEmbeddedPostgres } from '@app/database/embedded-postgres';
import { JsonLogger } from '@app/logging/json-logger';
import { createTestDatabase, TestDatabase } from '@test/support/database';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function queryOne(url: string, sql: string): Promise<Record<string, unknown>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0];
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the service against PostgreSQL', () => {
  let db: TestDatabase;
  let started: StartedApp;
  const logLines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    started = await createApp({
      env: { ...db.env, LOG_LEVEL: 'info' },
      port: 0,
      logger: new JsonLogger('info', (line) => logLines.push(JSON.parse(line))),
    });
  });

  afterAll(async () => {
    await started?.app.close();
    await db?.drop();
  });

  it('GET /health says the database is ok and returns a request id', async () => {
    const response = await request(started.app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', database: 'ok' });
    expect(response.headers['x-request-id']).toMatch(UUID);
  });

  it('listens on a real ephemeral port', async () => {
    expect(started.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(started.url).not.toBe('http://localhost:3000');
    // No HOST: this machine only (npm start has demo data and published demo passwords).
    expect((started.app.getHttpServer().address() as AddressInfo).address).toBe('127.0.0.1');
    const response = await fetch(`${started.url}/health`);
    expect(response.status).toBe(200);
  });

  it('echoes an incoming x-request-id and logs one JSON line per request, never the body', async () => {
    const response = await request(started.app.getHttpServer())
      .post('/health?token=hemlig-token')
      .set('x-request-id', 'test-request-1')
      .send({ password: 'hemligt-losenord' })
      .expect(404);
    expect(response.headers['x-request-id']).toBe('test-request-1');

    const lines = logLines.filter((line) => line.msg === 'http' && line.requestId === 'test-request-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', method: 'POST', path: '/health', status: 404, context: 'HTTP' });
    expect(typeof lines[0]?.durationMs).toBe('number');
    expect(JSON.stringify(logLines)).not.toMatch(/hemlig/);
  });

  it('replaces an unacceptable incoming request id', async () => {
    const response = await request(started.app.getHttpServer()).get('/health').set('x-request-id', 'bad id {"level":"fatal"}');
    expect(response.headers['x-request-id']).toMatch(UUID);
  });

  it('has run the migrations at start', async () => {
    const dataSource = started.app.get(DataSource);
    expect(await dataSource.showMigrations()).toBe(false);
    const row = await queryOne(db.url, `SELECT to_regclass('public.migrations')::text AS table`);
    expect(row.table).toBe('migrations');
  });

  // Last: it takes the database away.
  it('answers 503 with database: fel when SELECT 1 fails', async () => {
    await started.app.get(DataSource).destroy();
    const response = await request(started.app.getHttpServer()).get('/health').expect(503);
    expect(response.body).toMatchObject({ status: 'fel', database: 'fel' });
  });
});

describe('configuration', () => {
  it('names the bad variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(new ConfigError(['PORT måste vara ett heltal 1–65535']));
    expect(() => loadConfig({ PORT: '70000' })).toThrow('Ogiltig konfiguration: PORT måste vara ett heltal 1–65535');
    expect(() => loadConfig({ CLOCK_START: 'igår', LOG_LEVEL: 'loud' })).toThrow(
      expect.objectContaining({
        problems: [expect.stringMatching(/^LOG_LEVEL måste vara en av/), expect.stringMatching(/^CLOCK_START måste vara ett ISO 8601-datum/)],
      }),
    );
  });

  it('makes createApp fail before anything starts', async () => {
    await expect(createApp({ env: { PORT: 'abc' } })).rejects.toThrow(/PORT måste vara ett heltal/);
  });

  it('has defaults and ignores unknown and empty variables', () => {
    const config = loadConfig({ PORT: '8080', SMTP_URL: '', SOMETHING_ELSE: 'x' });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: undefined,
      smtpUrl: undefined,
      secretariatEmail: 'namndkansli@example.se',
      publicBaseUrl: 'http://localhost:8080',
      logLevel: 'info',
      dataDir: path.resolve('.data'),
    });
    expect(config).not.toHaveProperty('SOMETHING_ELSE');
    expect(loadConfig({ CLOCK_START: '2025-03-01' }).clockStart?.toISOString()).toBe('2025-03-01T00:00:00.000Z');
  });

  it('listens on this machine only unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
    expect(() => loadConfig({ HOST: 'en värd' })).toThrow(/^Ogiltig konfiguration: HOST måste vara en adress att lyssna på/);
  });

  it('requires DATABASE_URL with NODE_ENV=production, saying what to set in Swedish and English', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      expect.objectContaining({ problems: [expect.stringMatching(/^DATABASE_URL saknas: .*Ange DATABASE_URL=postgres:\/\/.* \/ DATABASE_URL is not set: .*Set DATABASE_URL=postgres:\/\//)] }),
    );
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://iop_app@db/iop' }).databaseUrl).toBe('postgres://iop_app@db/iop');
    expect(loadConfig({ NODE_ENV: 'development' }).databaseUrl).toBeUndefined();
  });

  it('refuses Node older than 20', () => {
    expect(() => checkNodeVersion('18.19.0')).toThrow(/Node\.js 18\.19\.0 stöds inte.*20, 22 eller 24/);
    expect(checkNodeVersion('20.19.0')).toBeUndefined();
    expect(checkNodeVersion('22.12.0')).toBeUndefined();
    expect(checkNodeVersion('24.0.0')).toBeUndefined();
    // openid-client 6 is an ES module: require() loads it only from these minors on.
    expect(() => checkNodeVersion('20.11.0')).toThrow(/stöds inte/);
    expect(() => checkNodeVersion('22.1.0')).toThrow(/stöds inte/);
    expect(checkNodeVersion('23.1.0')).toMatch(/inte testad/);
    expect(checkNodeVersion('25.0.0')).toMatch(/inte testad/);
  });

  it('states in package.json the Node versions it checks at start', () => {
    const { engines } = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(engines.node).toBe('^20.19 || ^22.12 || ^24');
    const majors = engines.node.split('||').map((range) => Number(/\^(\d+)/.exec(range)?.[1]));
    expect(majors).toEqual([...SUPPORTED_NODE_MAJORS]);
  });
});

describe('embedded PostgreSQL', () => {
  const dir = path.join(os.tmpdir(), `iop-test-embedded-${process.pid}-${randomBytes(3).toString('hex')}`);
  // Not `fast`: surviving kill -9 with the data intact is the point here.
  const options = { databaseDir: dir, stopOnSignals: false };

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('recovers from a postmaster killed with -9 and keeps the data', async () => {
    const first = await startEmbeddedPostgres(options);
    await queryOne(first.url, 'CREATE TABLE kept (id int)');
    process.kill(first.pid, 'SIGKILL');
    await waitFor(() => !isAlive(first.pid));
    expect(readPostmasterPid(dir)).toBe(first.pid);

    const second = await startEmbeddedPostgres(options);
    try {
      expect(second.pid).not.toBe(first.pid);
      expect(await queryOne(second.url, 'SELECT 1 AS one')).toEqual({ one: 1 });
      expect(await queryOne(second.url, `SELECT to_regclass('kept')::text AS t`)).toEqual({ t: 'kept' });
      await first.stop(); // must not touch the new server
      expect(await queryOne(second.url, 'SELECT 1 AS one')).toEqual({ one: 1 });
    } finally {
      await second.stop();
    }
    expect(existsSync(path.join(dir, 'postmaster.pid'))).toBe(false);
  });

  it('stops a server left running by a process that was killed', async () => {
    // A separate Node process starts the server and is then killed with -9: the server stays up.
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-e',
        `require('./src/database/embedded-postgres').startEmbeddedPostgres(${JSON.stringify(options)})` +
          `.then((s) => console.log(JSON.stringify({ pid: s.pid })))`,
      ],
      { cwd: path.resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const orphanPid = await new Promise<number>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /\{"pid":(\d+)\}/.exec(output);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(isAlive(orphanPid)).toBe(true);

    const server = await startEmbeddedPostgres(options);
    try {
      expect(isAlive(orphanPid)).toBe(false);
      expect(await queryOne(server.url, 'SELECT 1 AS one')).toEqual({ one: 1 });

      // While its owner lives, a second process must not take the directory over.
      const sleeper = spawn('sleep', ['30']);
      try {
        writeFileSync(path.join(dir, 'iop-owner.pid'), String(sleeper.pid));
        await expect(startEmbeddedPostgres(options)).rejects.toThrow(/används redan av process/);
      } finally {
        sleeper.kill();
        writeFileSync(path.join(dir, 'iop-owner.pid'), String(process.pid));
      }
    } finally {
      await server.stop();
    }
  });

  it('names the directory the postgres user cannot enter (as root), instead of a bare spawn … EACCES', () => {
    const stats: Record<string, { mode: number; uid: number; gid: number }> = {
      '/': { mode: 0o40755, uid: 0, gid: 0 },
      '/root': { mode: 0o40700, uid: 0, gid: 0 },
      '/root/iop': { mode: 0o40755, uid: 0, gid: 0 },
      '/srv': { mode: 0o40750, uid: 0, gid: 104 },
      '/srv/iop': { mode: 0o40700, uid: 101, gid: 104 },
      '/srv/iop/initdb': { mode: 0o100700, uid: 0, gid: 0 },
    };
    const statOf = (file: string) => stats[file];
    const postgres = { uid: 101, gids: [104, 103] };
    expect(firstBlockedPath('/root/iop/.data/postgres', postgres, {}, statOf)).toEqual({ path: '/root', mode: 0o700, uid: 0 });
    // Through the group, then as the owner; a directory not made yet is made later with 755.
    expect(firstBlockedPath('/srv/iop/.data/postgres', postgres, {}, statOf)).toBeUndefined();
    // A user the package has yet to create belongs to no group: /srv (750) is closed to it.
    expect(firstBlockedPath('/srv/iop/.data/postgres', undefined, {}, statOf)).toEqual({ path: '/srv', mode: 0o750, uid: 0 });
    expect(firstBlockedPath('/srv/iop/initdb', postgres, { executable: true }, statOf)).toEqual({ path: '/srv/iop/initdb', mode: 0o700, uid: 0 });
  });

  (process.getuid?.() === 0 ? it : it.skip)('as root, explains a mktemp -d data directory and how to fix it', async () => {
    const closed = await fs.mkdtemp(path.join(os.tmpdir(), 'iop-test-closed-'));
    try {
      expect((await fs.stat(closed)).mode & 0o777).toBe(0o700);
      await expect(startEmbeddedPostgres({ databaseDir: path.join(closed, 'postgres'), stopOnSignals: false })).rejects.toThrow(
        new RegExp(`som inte får gå in i ${closed} \\(rättigheter 700.*chmod o\\+x ${closed}.*DATABASE_URL`, 's'),
      );
    } finally {
      await fs.rm(closed, { recursive: true, force: true });
    }
  });
});
