import { createApp, type StartedApp } from '@app/bootstrap';
import { JsonLogger } from '@app/logging/json-logger';

/** The service as the benchmarks measure it: silent, no background sweeps or sends, any free port. */
export function startQuietApp(databaseUrl: string, env: Record<string, string> = {}): Promise<StartedApp> {
  return createApp({
    env: { DATABASE_URL: databaseUrl, LOG_LEVEL: 'error', TIMER_SWEEP_INTERVAL_MS: '0', OUTBOX_SEND_INTERVAL_MS: '0', DEMO_DATA: 'off', TRUST_ACTOR_HEADER: 'on', ...env },
    port: 0,
    logger: new JsonLogger('error', () => undefined),
  });
}
