import * as path from 'node:path';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

/** The embedded server's roles: migrations as the owner, the app as the service role. */
export const EMBEDDED_ROLES = { owner: 'iop_owner', app: 'iop_app' } as const;

export interface DatabaseUrls {
  /** The app's pool: the service role. */
  app: string;
  /** Migrations: the owner role (the same URL when only one is configured). */
  migrations: string;
}

/** Where the app's database lives: DATABASE_URL (+ MIGRATION_DATABASE_URL), or an embedded server under DATA_DIR it owns. */
@Injectable()
export class DatabaseServer implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private embedded?: Promise<EmbeddedPostgres>;

  constructor(
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  get isEmbedded(): boolean {
    return this.config.databaseUrl === undefined;
  }

  async urls(): Promise<DatabaseUrls> {
    if (this.config.databaseUrl !== undefined) {
      return { app: this.config.databaseUrl, migrations: this.config.migrationDatabaseUrl ?? this.config.databaseUrl };
    }
    this.embedded ??= this.startEmbedded();
    const server = await this.embedded;
    if (server.appUrl === undefined || server.ownerUrl === undefined) throw new Error('Den inbäddade servern saknar roller');
    return { app: server.appUrl, migrations: server.ownerUrl };
  }

  private async startEmbedded(): Promise<EmbeddedPostgres> {
    const databaseDir = path.join(this.config.dataDir, 'postgres');
    const server = await startEmbeddedPostgres({
      databaseDir,
      port: this.config.embeddedPostgresPort,
      database: 'iop',
      roles: EMBEDDED_ROLES,
      // Nest's shutdown hooks stop it (below), after the connection pool is closed.
      stopOnSignals: false,
      onLog: (text) => this.logger.verbose({ msg: text.trimEnd() }),
    });
    if (server.recoveredLeftover) {
      this.logger.warn({ msg: 'En kvarlämnad PostgreSQL-process från en tidigare körning stoppades', databaseDir });
    }
    this.logger.log({ msg: `Inbäddad PostgreSQL startad på port ${server.port}`, databaseDir });
    return server;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.embedded === undefined) return;
    const server = await this.embedded.catch(() => undefined);
    this.embedded = undefined;
    if (server === undefined) return;
    // Close the pool first so the server is not stopped under live connections.
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await server.stop();
    this.logger.log({ msg: 'Inbäddad PostgreSQL stoppad' });
  }
}
