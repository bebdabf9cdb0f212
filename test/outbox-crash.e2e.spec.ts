/**
 * Issue 11 (T01): the service is SIGKILLed while it sends a large outbox over real SMTP, and started
 * again. Every message arrives; the copies (counted by Message-ID at the receiving server) are at
 * most the messages that can be on their way at once (inFlightBound), and every row ends 'sent'.
 */
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '@app/bootstrap';
import { JsonLogger } from '@app/logging/json-logger';
import { enqueueMessage, messageIdFor } from '@app/notifications/outbox.repository';
import { inFlightBound } from '@app/notifications/outbox-sender.service';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { startServiceProcess, type ServiceProcess } from '@test/support/service-process';
import { SmtpSink } from '@test/support/smtp-sink';

const MESSAGES = 2000;
const POOL = 5;
const SEND_TIMEOUT_MS = 2000;
const DOMAIN = 'example.se';

// ~50 s on a quiet 2-core machine; each service start takes much longer when it is busy.
jest.setTimeout(300_000);

const t0 = Date.now();
const mark = (what: string): void => {
  process.stdout.write(`[outbox-crash] ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}\n`);
};

async function waitFor<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Väntade förgäves (${timeoutMs} ms) på ${what}; senast: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('outbox: the sender is SIGKILLed mid-send and started again', () => {
  const sink = new SmtpSink();
  const processes: ServiceProcess[] = [];
  let db: TestDatabase;
  let sql: Client;

  beforeAll(async () => {
    await sink.listen(0);
    db = await createTestDatabase();
    // Migrations and the messages, written by an in-process app that does not send.
    const started = await createApp({
      env: { ...db.env, AUDIT_CHECKPOINT_INTERVAL_HOURS: '0', LOG_LEVEL: 'error', TIMER_SWEEP_INTERVAL_MS: '0', OUTBOX_SEND_INTERVAL_MS: '0' },
      port: 0,
      logger: new JsonLogger('error', () => undefined),
    });
    try {
      const dataSource = started.app.get(DataSource);
      const now = new Date(Date.now() - 60_000);
      await dataSource.transaction(async (manager) => {
        for (let i = 0; i < MESSAGES; i += 1) {
          await enqueueMessage(
            manager,
            { idempotencyKey: `crash:${i}`, case: null, kind: 'decision_upcoming', recipient: `mottagare${i}@example.se`, subject: `Påminnelse ${i}`, text: `Hej ${i}!`, html: `<p>Hej ${i}!</p>` },
            now,
            DOMAIN,
          );
        }
      });
    } finally {
      await started.app.close();
    }
    sql = new Client({ connectionString: db.url, application_name: 'outbox-crash-test' });
    await sql.connect();
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL').catch(() => undefined)));
    await sql?.end().catch(() => undefined);
    await db?.drop().catch(() => undefined);
    await sink.close();
  });

  const start = async (name: string): Promise<ServiceProcess> => {
    const p = await startServiceProcess({
      databaseUrl: db.appUrl,
      migrationDatabaseUrl: db.ownerUrl,
      name,
      timerSweepIntervalMs: 0,
      env: { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, SMTP_MAX_CONNECTIONS: String(POOL), OUTBOX_SEND_INTERVAL_MS: '50', OUTBOX_SEND_TIMEOUT_MS: String(SEND_TIMEOUT_MS), MAIL_FROM: `IOP-motorn <noreply@${DOMAIN}>` },
    });
    processes.push(p);
    return p;
  };
  const states = async (): Promise<Record<string, number>> =>
    Object.fromEntries((await sql.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM outbox_message GROUP BY 1`)).rows.map((r) => [r.state, r.n]));

  it('delivers every message, with at most inFlightBound copies too many, and leaves every row sent', async () => {
    const bound = inFlightBound(POOL);
    const first = await start('sender-1');
    mark('sender-1 started');
    await waitFor('a third of the messages at the sink', async () => sink.received.length, (n) => n >= MESSAGES / 3, 60_000);
    await first.kill('SIGKILL');
    const atKill = sink.received.length;
    const stateAtKill = await states();
    mark(`SIGKILL with ${atKill} received; rows ${JSON.stringify(stateAtKill)}`);
    // Only the claimed rows can be on their way: the bound holds by construction.
    expect(stateAtKill.sending ?? 0).toBeLessThanOrEqual(bound);

    await start('sender-2');
    mark('sender-2 started');
    await waitFor('every row sent', states, (s) => s.sent === MESSAGES, 180_000);
    mark(`all sent; sink received ${sink.received.length}`);

    const perId = new Map<string, number>();
    for (const r of sink.received) perId.set(r.mail.messageId ?? '', (perId.get(r.mail.messageId ?? '') ?? 0) + 1);
    for (let i = 0; i < MESSAGES; i += 1) expect(perId.get(messageIdFor(`crash:${i}`, DOMAIN)) ?? 0).toBeGreaterThanOrEqual(1);
    const duplicates = sink.received.length - perId.size;
    mark(`duplicates ${duplicates} (bound ${bound}); rows sending at kill: ${stateAtKill.sending ?? 0}`);
    expect(perId.size).toBe(MESSAGES);
    expect(duplicates).toBeLessThanOrEqual(bound);
    expect(await states()).toEqual({ sent: MESSAGES });
    const leftovers = await sql.query(`SELECT count(*)::int AS n FROM outbox_message WHERE lease_until IS NOT NULL OR claim_token IS NOT NULL`);
    expect(leftovers.rows[0].n).toBe(0);
  });
});
