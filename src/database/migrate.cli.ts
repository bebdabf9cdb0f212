/** `npm run migration:run`: applies pending migrations as the owner (MIGRATION_DATABASE_URL, else DATABASE_URL, else the embedded server's owner). */
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/app-config';
import { JsonLogger } from '../logging/json-logger';
import { buildDataSourceOptions, runPendingMigrations } from './data-source';
import { EMBEDDED_ROLES } from './database-server';
import { serviceRoleConnectionOption } from './database-roles';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

async function main(): Promise<void> {
  const config = loadConfig();
  Logger.overrideLogger(new JsonLogger(config.logLevel));
  const logger = new Logger('Migrering');
  let embedded: EmbeddedPostgres | undefined;
  let url = config.migrationDatabaseUrl;
  // The migrations grant the service role its rights; it is named in DATABASE_URL.
  let serviceRole: string | null = null;
  if (url === undefined) {
    embedded = await startEmbeddedPostgres({
      databaseDir: path.join(config.dataDir, 'postgres'),
      port: config.embeddedPostgresPort,
      database: 'iop',
      roles: EMBEDDED_ROLES,
    });
    url = embedded.ownerUrl ?? embedded.url;
    serviceRole = EMBEDDED_ROLES.app;
  } else if (config.databaseUrl !== undefined && config.databaseUrl !== url) {
    serviceRole = decodeURIComponent(new URL(config.databaseUrl).username) || null;
  }
  const base = buildDataSourceOptions(url);
  const dataSource = new DataSource(serviceRole === null ? base : { ...base, extra: { ...(base.extra as object), options: serviceRoleConnectionOption(serviceRole) } });
  try {
    await dataSource.initialize();
    const ran = await runPendingMigrations(dataSource);
    logger.log({ msg: ran.length > 0 ? 'Migreringar körda' : 'Inga väntande migreringar', migrations: ran });
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
