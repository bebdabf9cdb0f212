import type { LoggerService } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp, type StartedApp } from '@app/bootstrap';
import { ACTOR_HEADER } from '@app/auth/actor.resolver';
import { AccountsService } from '@app/auth/accounts.service';
import { ClockService } from '@app/clock/clock.service';
import { JsonLogger } from '@app/logging/json-logger';
import { createTestDatabase, type TestDatabase } from './database';

/** Requests as one person (the x-person-id header the tests trust), like supertest's own verbs. */
export interface ActingClient {
  get(url: string): request.Test;
  post(url: string): request.Test;
  put(url: string): request.Test;
  delete(url: string): request.Test;
}

export interface TestApp {
  started: StartedApp;
  db: TestDatabase;
  clock: ClockService;
  dataSource: DataSource;
  /** Anonymous requests. */
  http: () => ReturnType<typeof request>;
  /** Requests as the person with this id. */
  as: (personId: string) => ActingClient;
  /** The installation's first administrator (in Testkommunens förvaltning), who registers everyone else. */
  administratorId: string;
  /** Requests as the administrator. */
  admin: () => ActingClient;
  close(): Promise<void>;
}

/** The first administrator, as `npm run account:admin` creates one on a new installation. */
export const TEST_ADMINISTRATOR = { organisationName: 'Testkommunens IT-förvaltning', organisationNumber: '212000-0142', name: 'Ada Administratör', email: 'ada.admin@example.se' };

export type TestClients = Pick<TestApp, 'http' | 'as' | 'administratorId' | 'admin'>;

/** HTTP clients for a started app (which must trust the x-person-id header), and its first administrator. */
export async function clientsOf(started: StartedApp): Promise<TestClients> {
  const administratorId = await started.app.get(AccountsService).createFirstAdministrator(TEST_ADMINISTRATOR);
  const http = () => request(started.app.getHttpServer());
  const as = (personId: string): ActingClient => ({
    get: (url) => http().get(url).set(ACTOR_HEADER, personId),
    post: (url) => http().post(url).set(ACTOR_HEADER, personId),
    put: (url) => http().put(url).set(ACTOR_HEADER, personId),
    delete: (url) => http().delete(url).set(ACTOR_HEADER, personId),
  });
  return { http, as, administratorId, admin: () => as(administratorId) };
}

/** The whole service on a fresh database (migrations applied as its owner, the app as its service role), a frozen clock, no background work, and a quiet logger. */
export async function startTestApp(options: { now?: string | null; env?: Record<string, string>; logger?: LoggerService } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const started = await createApp({
    env: { ...db.env, LOG_LEVEL: 'error', AUDIT_CHECKPOINT_INTERVAL_HOURS: '0', AUDIT_VERIFY_HOUR: 'off', TRUST_ACTOR_HEADER: 'on', TIMER_SWEEP_INTERVAL_MS: '0', OUTBOX_SEND_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0', ...(options.env ?? {}) },
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
    ...(await clientsOf(started)),
    async close() {
      await started.app.close();
      await db.drop();
    },
  };
}
