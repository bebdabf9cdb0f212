import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { provisionRoles } from '@app/database/database-roles';

export interface TestDatabase {
  /** e.g. iop_test_3f9c0a1b2d4e */
  readonly name: string;
  /** This database as the test server's superuser (for tests that go behind the service's back). */
  readonly url: string;
  /** As the database's owner role `<name>_owner` (migrations). */
  readonly ownerUrl: string;
  /** As the service role `<name>_app`: neither superuser nor owner, like a real installation. */
  readonly appUrl: string;
  /** DATABASE_URL and MIGRATION_DATABASE_URL for a service on this database. */
  readonly env: { DATABASE_URL: string; MIGRATION_DATABASE_URL: string };
  /** Drops the database (closing leftover connections) and its two roles. */
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

/**
 * Creates an empty, uniquely named database for one test file, owned by its own owner role, with
 * its own service role (role names are cluster-wide, hence the database's name in them).
 * Migrations are up to the caller (createApp runs them as the owner).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `iop_test_${randomBytes(6).toString('hex')}`;
  const roles = { owner: `${name}_owner`, app: `${name}_app` };
  const passwords = { owner: randomBytes(12).toString('hex'), app: randomBytes(12).toString('hex') };
  await withAdminClient((client) => provisionRoles(client, name, roles, passwords));
  const as = (user?: string, password?: string): string => {
    const url = new URL(testServerUrl());
    url.pathname = `/${name}`;
    if (user !== undefined && password !== undefined) {
      url.username = user;
      url.password = password;
    }
    return url.toString();
  };
  const ownerUrl = as(roles.owner, passwords.owner);
  const appUrl = as(roles.app, passwords.app);
  return { name, url: as(), ownerUrl, appUrl, env: { DATABASE_URL: appUrl, MIGRATION_DATABASE_URL: ownerUrl }, drop: () => dropTestDatabase(name) };
}

export async function dropTestDatabase(name: string): Promise<void> {
  if (!/^iop_test_[0-9a-f]+$/.test(name)) throw new Error(`Vägrar ta bort ${name}: inte en testdatabas`);
  // WITH (FORCE) needs PostgreSQL 13+; it ends connections a test forgot to close. The roles' rights lived in the database, so they go after it.
  await withAdminClient(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(`${name}_app`)}, ${client.escapeIdentifier(`${name}_owner`)}`);
  });
}
