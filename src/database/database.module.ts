import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions, MigrationFailedError, runPendingMigrations } from './data-source';
import { DatabaseServer } from './database-server';
import { privilegedRoleProblems, serviceRoleConnectionOption } from './database-roles';

@Module({ providers: [DatabaseServer], exports: [DatabaseServer] })
class DatabaseServerModule {}

/** The service's role could rewrite history and the operator has not said that is accepted. */
export class PrivilegedDatabaseRoleError extends Error {
  override readonly name = 'PrivilegedDatabaseRoleError';
}

interface StartPlan {
  migrationUrl: string;
  allowPrivileged: boolean;
}

/** What the options factory decided, for the DataSource factory (Nest hands over the same options object). */
const plans = new WeakMap<object, StartPlan>();

/** Runs pending migrations as the owner; they grant the service role its rights (it is named to them). */
async function migrate(migrationUrl: string, serviceRole: string | null): Promise<string[]> {
  const base = buildDataSourceOptions(migrationUrl);
  const options = serviceRole === null ? base : { ...base, extra: { ...(base.extra as object), options: serviceRoleConnectionOption(serviceRole) } };
  const dataSource = await new DataSource(options).initialize();
  try {
    return await runPendingMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

async function checkRole(dataSource: DataSource, allowPrivileged: boolean): Promise<void> {
  const problems = await privilegedRoleProblems((sql, params) => dataSource.query(sql, params));
  if (problems.length === 0) return;
  if (allowPrivileged) {
    new Logger('Database').warn({ msg: 'Tjänstens databasroll kan ändra historiken (godtaget med ALLOW_PRIVILEGED_DATABASE_ROLE=on)', problems });
    return;
  }
  throw new PrivilegedDatabaseRoleError(
    `Tjänsten startar inte: databasrollen i DATABASE_URL kan ändra eller ta bort historiken (${problems.join('; ')}). ` +
      'Ange en egen tjänsteroll utan superanvändarrätt som inte äger tabellerna i DATABASE_URL och ägarrollen i MIGRATION_DATABASE_URL ' +
      '(se README, "Databasroller"), eller godta risken med ALLOW_PRIVILEGED_DATABASE_ROLE=on.',
  );
}

/**
 * PostgreSQL via TypeORM. Without DATABASE_URL the embedded server is started first.
 * Pending migrations run as the owner before the DataSource is handed out, so before the app
 * listens; the app's pool is the service role, checked to be unable to rewrite history.
 */
@Global()
@Module({
  imports: [
    DatabaseServerModule,
    TypeOrmModule.forRootAsync({
      imports: [DatabaseServerModule],
      inject: [DatabaseServer, AppConfig],
      useFactory: async (server: DatabaseServer, config: AppConfig) => {
        const urls = await server.urls();
        const options = {
          ...buildDataSourceOptions(urls.app, { max: config.databasePoolSize, acquireTimeoutMs: config.databasePoolAcquireTimeoutMs }),
          // An external server may still be starting (compose); a failed migration or a refused role is not retried.
          retryAttempts: 5,
          retryDelay: 2000,
          toRetry: (error: unknown) => !server.isEmbedded && !(error instanceof MigrationFailedError) && !(error instanceof PrivilegedDatabaseRoleError),
        };
        plans.set(options, { migrationUrl: urls.migrations, allowPrivileged: config.allowPrivilegedDatabaseRole });
        return options;
      },
      dataSourceFactory: async (options?: DataSourceOptions) => {
        const plan = options === undefined ? undefined : plans.get(options);
        if (options === undefined || plan === undefined) throw new Error('TypeORM-inställningar saknas');
        const dataSource = await new DataSource(options).initialize();
        try {
          const [{ role }] = await dataSource.query<Array<{ role: string }>>(`SELECT current_user AS role`);
          const ownRole = plan.migrationUrl === (options as { url?: string }).url;
          const ran = await migrate(plan.migrationUrl, ownRole ? null : role);
          if (ran.length > 0) new Logger('Database').log({ msg: 'Migreringar körda', migrations: ran });
          await checkRole(dataSource, plan.allowPrivileged);
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
