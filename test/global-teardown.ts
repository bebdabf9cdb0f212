import { promises as fs } from 'node:fs';
import { testPostgres } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const test = testPostgres.__iopTestPostgres;
  if (test === undefined) return;
  testPostgres.__iopTestPostgres = undefined;
  await test.server.stop();
  await fs.rm(test.dir, { recursive: true, force: true });
}
