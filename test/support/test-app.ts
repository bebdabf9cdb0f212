import type { LoggerService } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp, type StartedApp } from '@app/bootstrap';
import { ClockService } from '@app/clock/clock.service';
import { JsonLogger } from '@app/logging/json-logger';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestApp {
  started: StartedApp;
  db: TestDatabase;
  clock: ClockService;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The whole service on a fresh database (migrations applied), a frozen clock, and a quiet logger. */
export async function startTestApp(options: { now?: string | null; env?: Record<string, string>; logger?: LoggerService } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const started = await createApp({
    env: { DATABASE_URL: db.url, LOG_LEVEL: 'error', TRUST_ACTOR_HEADER: 'on', TIMER_SWEEP_INTERVAL_MS: '0', OUTBOX_SEND_INTERVAL_MS: '0', ...(options.env ?? {}) },
    port: 0,
    logger: options.logger ?? new JsonLogger('error', () => undefined),
  });
  const clock = started.app.get(ClockService);
  if (options.now !== null) clock.freeze(options.now ?? '2023-05-01T08:00:00Z');
  return {
    started,
    db,
    clock,
    dataSource: started.app.get(DataSource),
    http: () => request(started.app.getHttpServer()),
    async close() {
      await started.app.close();
      await db.drop();
    },
  };
}
