/**
 * What the service does when started as an operator would start it (issue 17): the real `src/main.ts`
 * in its own process. `npm start` (demo data, published demo passwords) answers only on this
 * machine; a production start without DATABASE_URL stops with a message saying what to set.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { startServiceProcess, type ServiceProcess } from '@test/support/service-process';

const ROOT = path.resolve(__dirname, '..');

/** Runs src/main.ts to its end with only this environment (and PATH); bounded. */
function runMain(env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`main.ts ended not within ${timeoutMs} ms:\n${stderr}\n${stdout}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** An address of this machine other than loopback, if it has one. */
function externalAddress(): string | undefined {
  for (const addresses of Object.values(os.networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return undefined;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('a production start without DATABASE_URL', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'iop-test-prod-'));
  });

  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('stops before anything starts, saying what to set, and starts no embedded PostgreSQL', async () => {
    const result = await runMain({ NODE_ENV: 'production', DATA_DIR: dataDir, PORT: '1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/DATABASE_URL saknas: med NODE_ENV=production startar ingen inbäddad PostgreSQL\. Ange DATABASE_URL=postgres:\/\//);
    expect(result.stderr).toMatch(/DATABASE_URL is not set/);
    expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
  });
});

describe('where the service listens', () => {
  let db: TestDatabase;
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.kill('SIGTERM')));
    await db?.drop();
  });

  it('only on 127.0.0.1 without HOST, on every interface with HOST=0.0.0.0 (as in the image)', async () => {
    const local = await startServiceProcess({ databaseUrl: db.appUrl, migrationDatabaseUrl: db.ownerUrl, name: 'utan HOST' });
    services.push(local);
    const everywhere = await startServiceProcess({ databaseUrl: db.appUrl, migrationDatabaseUrl: db.ownerUrl, name: 'HOST=0.0.0.0', env: { HOST: '0.0.0.0' } });
    services.push(everywhere);
    expect(await connects('127.0.0.1', local.port)).toBe(true);
    expect(await connects('127.0.0.1', everywhere.port)).toBe(true);
    const external = externalAddress();
    if (external !== undefined) {
      expect(await connects(external, local.port)).toBe(false);
      expect(await connects(external, everywhere.port)).toBe(true);
    }
  });
});
