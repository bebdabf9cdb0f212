import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { AppConfig, EnvSource, loadConfig } from './config/app-config';
import { JsonLogger } from './logging/json-logger';
import { requestLogging } from './logging/request-logging.middleware';
import { DomainErrorFilter } from './common/domain-error.filter';
import { errorPage, WebExceptionFilter } from './web/web-exception.filter';
import { inputLimits } from './common/input-limits';
import { securityHeaders } from './common/security-headers';
import { setUpOpenApi } from './common/openapi';
import { PagingInterceptor } from './common/paging.interceptor';
import { strictValidationPipe } from './common/validation';

/** Deeper than any DTO (agreement → economics → costLines → line is 4); far below what overflows a stack. */
const INPUT_MAX_DEPTH = 16;

export interface CreateAppOptions {
  /** Environment to read the config from; default process.env. Ignored when `config` is given. */
  env?: EnvSource;
  /** An already loaded config (main.ts validates it before anything else). */
  config?: AppConfig;
  /** Port to listen on; default config.port. 0 picks a free port (tests). */
  port?: number;
  /** Default: JSON lines on stdout at config.logLevel. */
  logger?: LoggerService;
}

export interface StartedApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** e.g. http://localhost:3000 (the address it listens on, or localhost for loopback and all interfaces) */
  url: string;
}

/**
 * Builds and starts the service: config, database (embedded unless DATABASE_URL), migrations,
 * then HTTP. Used by main.ts and by integration tests. Close with `app.close()`.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<StartedApp> {
  const config = options.config ?? loadConfig(options.env);
  const logger = options.logger ?? new JsonLogger(config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
    // Throw instead of process.abort() so callers (and tests) see the error.
    abortOnError: false,
    // inputLimits() parses bodies instead: size, charset, encoding, depth and text are checked there.
    bodyParser: false,
  });
  try {
    app.disable('x-powered-by');
    app.set('trust proxy', config.trustProxy);
    app.use(requestLogging(logger));
    app.use(securityHeaders(config.publicBaseUrl));
    app.use(
      inputLimits(
        { jsonBodyLimitBytes: config.jsonBodyLimitBytes, formBodyLimitBytes: config.formBodyLimitBytes, maxDepth: INPUT_MAX_DEPTH },
        (_status, title, message) => errorPage(title, message, null),
      ),
    );
    app.useGlobalPipes(strictValidationPipe());
    app.useGlobalInterceptors(new PagingInterceptor());
    app.useGlobalFilters(new DomainErrorFilter(new WebExceptionFilter()));
    setUpOpenApi(app, config.publicBaseUrl);
    // 127.0.0.1 unless HOST says otherwise: `npm start` has demo data and published demo passwords.
    await app.listen(options.port ?? config.port, config.host);
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.getHttpServer().address() as AddressInfo;
  return { app, config, url: `http://${urlHostOf(address.address)}:${address.port}` };
}

/** localhost for loopback and for all interfaces (both answer there); otherwise the address itself. */
function urlHostOf(address: string): string {
  if (['127.0.0.1', '::1', '0.0.0.0', '::'].includes(address)) return 'localhost';
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * The services without HTTP, for one-shot commands (npm run tick, npm run first-admin): no
 * background sweeps or sends and no demo data, so the command does exactly its own work.
 */
export async function createCommandContext(): Promise<{ app: INestApplicationContext; logger: JsonLogger }> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, timerSweepIntervalMs: 0, outboxSendIntervalMs: 0, retentionIntervalMs: 0, demoData: false }), {
    logger,
    abortOnError: false,
  });
  return { app, logger };
}
