import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import type { DataSource, DataSourceOptions } from 'typeorm';
import { entities } from './entities';
import { TypeOrmLogger } from './typeorm-logger';

/** Repository root: two levels up from src/database (ts-node) or dist/src/database (build). */
const ROOT = path.resolve(__dirname, '..', '..');

/** TypeORM options for PostgreSQL at `url`, with the service's pool (DATABASE_POOL_SIZE). Schema changes only via migrations in migrations/. */
export function buildDataSourceOptions(url: string, pool: { max: number; acquireTimeoutMs: number } = { max: 10, acquireTimeoutMs: 10_000 }): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [...entities],
    migrations: [path.join(ROOT, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    applicationName: 'iop-lifecycle-engine',
    logger: new TypeOrmLogger(),
    maxQueryExecutionTime: 1000,
    // The schema is the migrations' (gen_random_uuid is built in); the service role may not create extensions.
    installExtensions: false,
    // No JIT: every query here reads a page, and compiling one whose estimate looks large took 60+ ms (PostgreSQL's default is on).
    extra: { max: pool.max, connectionTimeoutMillis: pool.acquireTimeoutMs, options: '-c jit=off' },
  };
}

export class MigrationFailedError extends Error {
  override readonly name = 'MigrationFailedError';
}

/**
 * Key of the session-level advisory lock held while migrating (any fixed bigint; advisory locks are
 * per database). Instances starting together on one database take turns: the first applies the
 * migrations, the next finds none pending.
 */
export const MIGRATION_LOCK_KEY = 7_342_001_011;

/**
 * Runs pending migrations, each in its own transaction, under the migration lock; returns the names
 * that ran. The lock lives on a dedicated connection, so it is released if the process dies.
 */
export async function runPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    const [{ locked }] = (await lock.query(`SELECT pg_try_advisory_lock($1) AS locked`, [MIGRATION_LOCK_KEY])) as Array<{ locked: boolean }>;
    if (!locked) {
      new Logger('Database').log({ msg: 'Väntar på att en annan instans migrerar klart' });
      await lock.query(`SELECT pg_advisory_lock($1)`, [MIGRATION_LOCK_KEY]);
    }
    try {
      const ran = await dataSource.runMigrations({ transaction: 'each' });
      return ran.map((migration) => migration.name);
    } finally {
      await lock.query(`SELECT pg_advisory_unlock($1)`, [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    throw new MigrationFailedError(`Migrering misslyckades: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  } finally {
    await lock.release();
  }
}
