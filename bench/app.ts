import { createApp, type StartedApp } from '@app/bootstrap';
import { JsonLogger } from '@app/logging/json-logger';

/** The service as the benchmarks measure it: silent, no background sweeps or sends, any free port. */
export function startQuietApp(databaseUrl: string, env: Record<string, string> = {}): Promise<StartedApp> {
  return createApp({
    // The benchmarks measure the engine path on a throwaway superuser database; the role check is not what they measure.
    env: { DATABASE_URL: databaseUrl, ALLOW_PRIVILEGED_DATABASE_ROLE: 'on', AUDIT_CHECKPOINT_INTERVAL_HOURS: '0', RETENTION_INTERVAL_MS: '0', LOG_LEVEL: 'error', TIMER_SWEEP_INTERVAL_MS: '0', OUTBOX_SEND_INTERVAL_MS: '0', DEMO_DATA: 'off', TRUST_ACTOR_HEADER: 'on', ...env },
    port: 0,
    logger: new JsonLogger('error', () => undefined),
  });
}
