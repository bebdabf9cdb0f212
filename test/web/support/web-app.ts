import { promises as fs } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestApp, type TestApp } from '@test/support/test-app';

/** A free loopback port. */
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

export interface WebTestApp extends TestApp {
  /** http://127.0.0.1:<port>: where the browser goes, and the app's PUBLIC_BASE_URL (the CSRF origin check compares them). */
  baseUrl: string;
}

/**
 * startTestApp's service, moved to a known loopback port before any request: a real browser's
 * Origin must equal PUBLIC_BASE_URL, which has to be known before the app starts.
 */
export async function startWebTestApp(now: string, env: Record<string, string> = {}): Promise<WebTestApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'iop-web-'));
  const t = await startTestApp({ now, env: { PUBLIC_BASE_URL: baseUrl, DATA_DIR: dataDir, ...env } });
  const server: Server = t.started.app.getHttpServer();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    ...t,
    baseUrl,
    async close() {
      await t.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
