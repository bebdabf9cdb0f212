import * as path from 'node:path';
import type { DataSource, DataSourceOptions } from 'typeorm';
import { entities } from './entities';
import { TypeOrmLogger } from './typeorm-logger';

/** Repository root: two levels up from src/database (ts-node) or dist/src/database (build). */
const ROOT = path.resolve(__dirname, '..', '..');

/** TypeORM options for PostgreSQL at `url`. Schema changes only via migrations in migrations/. */
export function buildDataSourceOptions(url: string): DataSourceOptions {
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
    extra: { max: 10, connectionTimeoutMillis: 10_000 },
  };
}

export class MigrationFailedError extends Error {
  override readonly name = 'MigrationFailedError';
}

/** Runs pending migrations, each in its own transaction; returns the names that ran. */
export async function runPendingMigrations(dataSource: DataSource): Promise<string[]> {
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((migration) => migration.name);
  } catch (error) {
    throw new MigrationFailedError(`Migrering misslyckades: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
