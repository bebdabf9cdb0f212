/** `npm run migration:run`: applies pending migrations to DATABASE_URL or the embedded server. */
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/app-config';
import { JsonLogger } from '../logging/json-logger';
import { buildDataSourceOptions, runPendingMigrations } from './data-source';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

async function main(): Promise<void> {
  const config = loadConfig();
  Logger.overrideLogger(new JsonLogger(config.logLevel));
  const logger = new Logger('Migrering');
  let embedded: EmbeddedPostgres | undefined;
  let url = config.databaseUrl;
  if (url === undefined) {
    embedded = await startEmbeddedPostgres({
      databaseDir: path.join(config.dataDir, 'postgres'),
      port: config.embeddedPostgresPort,
      database: 'iop',
    });
    url = embedded.url;
  }
  const dataSource = new DataSource(buildDataSourceOptions(url));
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
