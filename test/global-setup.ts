/**
 * One PostgreSQL for the whole jest run: DATABASE_URL if set, else a fresh embedded server in a
 * temp dir. Its URL reaches the test workers as process.env.TEST_DATABASE_URL.
 * Runs outside jest's module mapper: relative imports only.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/database/embedded-postgres';

export interface TestPostgres {
  server: EmbeddedPostgres;
  dir: string;
}

/** globalSetup and globalTeardown share this process (not the test workers), hence a global. */
export const testPostgres = globalThis as typeof globalThis & { __iopTestPostgres?: TestPostgres };

export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const dir = path.join(os.tmpdir(), `iop-test-pg-${process.pid}`);
  await fs.rm(dir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ databaseDir: path.join(dir, 'data'), fast: true });
  testPostgres.__iopTestPostgres = { server, dir };
  process.env.TEST_DATABASE_URL = server.url;
}
