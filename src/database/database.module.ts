import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions, MigrationFailedError, runPendingMigrations } from './data-source';
import { DatabaseServer } from './database-server';

@Module({ providers: [DatabaseServer], exports: [DatabaseServer] })
class DatabaseServerModule {}

/**
 * PostgreSQL via TypeORM. Without DATABASE_URL the embedded server is started first.
 * Pending migrations run before the DataSource is handed out, so before the app listens.
 */
@Global()
@Module({
  imports: [
    DatabaseServerModule,
    TypeOrmModule.forRootAsync({
      imports: [DatabaseServerModule],
      inject: [DatabaseServer],
      useFactory: async (server: DatabaseServer) => ({
        ...buildDataSourceOptions(await server.url()),
        // An external server may still be starting (compose); a failed migration is not retried.
        retryAttempts: 5,
        retryDelay: 2000,
        toRetry: (error: unknown) => !server.isEmbedded && !(error instanceof MigrationFailedError),
      }),
      dataSourceFactory: async (options?: DataSourceOptions) => {
        if (options === undefined) throw new Error('TypeORM-inställningar saknas');
        const dataSource = await new DataSource(options).initialize();
        try {
          const ran = await runPendingMigrations(dataSource);
          if (ran.length > 0) new Logger('Database').log({ msg: 'Migreringar körda', migrations: ran });
        } catch (error) {
          await dataSource.destroy();
          throw error;
        }
        return dataSource;
      },
    }),
  ],
  exports: [TypeOrmModule, DatabaseServerModule],
})
export class DatabaseModule {}
