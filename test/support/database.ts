import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  /** e.g. iop_test_3f9c0a1b2d4e */
  readonly name: string;
  /** Connection URL for this database only. */
  readonly url: string;
  /** Drops the database (closing leftover connections). */
  drop(): Promise<void>;
}

/** The server started (or chosen) by test/global-setup.ts. */
export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL saknas: kör testerna via jest (test/global-setup.ts sätter den).');
  return url;
}

async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty, uniquely named database for one test file. Migrations are up to the caller (createApp runs them). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `iop_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => dropTestDatabase(name) };
}

export async function dropTestDatabase(name: string): Promise<void> {
  if (!/^iop_test_[0-9a-f]+$/.test(name)) throw new Error(`Vägrar ta bort ${name}: inte en testdatabas`);
  // WITH (FORCE) needs PostgreSQL 13+; it ends connections a test forgot to close.
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
}
