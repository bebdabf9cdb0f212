/**
 * Issue 11: an SMTP server that greets and then never answers. The sender holds no transaction and
 * no row lock while it waits: the rows are 'sending' under a lease, each message times out on its
 * own, and once the lease has run out another claim takes the rows over; the first claim's late
 * outcome does not overwrite the second's.
 */
import { Client } from 'pg';
import { enqueueMessage, messageIdFor, type OutgoingMessage } from '@app/notifications/outbox.repository';
import { OutboxSenderService, type DeliveryResult } from '@app/notifications/outbox-sender.service';
import { FaultySmtp } from '@test/support/faulty-smtp';
import { startTestApp, type TestApp } from '@test/support/test-app';

const DOMAIN = 'example.se';
// Long enough that the takeover below happens before the first claim's messages time out, even on a busy machine.
const SEND_TIMEOUT_MS = 6000;

function message(key: string, recipient: string): OutgoingMessage {
  return { idempotencyKey: key, case: null, kind: 'decision_upcoming', recipient, subject: `Påminnelse (${key})`, text: 'Hej!', html: '<p>Hej!</p>' };
}

async function waitFor<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Väntade förgäves på ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('an SMTP server that greets and then hangs', () => {
  const smtp = new FaultySmtp();
  let t: TestApp;
  let sender: OutboxSenderService;
  let observer: Client;

  beforeAll(async () => {
    smtp.mode = 'hang';
    await smtp.listen();
    t = await startTestApp({
      now: '2025-09-01T06:00:00Z',
      env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SMTP_MAX_CONNECTIONS: '2', OUTBOX_SEND_TIMEOUT_MS: String(SEND_TIMEOUT_MS) },
    });
    sender = t.started.app.get(OutboxSenderService);
    observer = new Client({ connectionString: t.db.url, application_name: 'hanging-smtp-observer' });
    await observer.connect();
  });
  afterAll(async () => {
    await observer?.end();
    await t?.close();
    await smtp.close();
  });

  it('holds no transaction or row lock while waiting; the lease lets a later claim take over and the late outcome is ignored', async () => {
    const keys = Array.from({ length: 4 }, (_, i) => `test:hang:${i}@example.se`);
    await t.dataSource.transaction(async (manager) => {
      for (const k of keys) await enqueueMessage(manager, message(k, k.slice('test:hang:'.length)), t.clock.now(), DOMAIN);
    });
    const claimedAt = t.clock.now().getTime();

    const first: Promise<DeliveryResult> = sender.deliverDue({ lanes: 1, batchSize: keys.length });
    const sending = await waitFor(
      'rader i sending',
      () => observer.query<{ state: string; lease_until: Date | null; claim_token: string | null; attempts: number }>(`SELECT state, lease_until, claim_token, attempts FROM outbox_message ORDER BY id`),
      (r) => r.rows.every((row) => row.state === 'sending'),
    );
    expect(sending.rows.map((r) => [r.state, r.lease_until?.getTime(), r.attempts])).toEqual(keys.map(() => ['sending', claimedAt + 2 * SEND_TIMEOUT_MS, 1]));
    expect(new Set(sending.rows.map((r) => r.claim_token)).size).toBe(1);

    // The sender is talking to the server now (greeted, waiting for the EHLO reply).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const open = await observer.query(
      `SELECT pid, state, application_name, xact_start FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND (xact_start IS NOT NULL OR state LIKE 'idle in transaction%')`,
    );
    expect(open.rows).toEqual([]);
    const locks = await observer.query(
      `SELECT l.pid, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname LIKE 'outbox_message%' AND l.pid <> pg_backend_pid()`,
    );
    expect(locks.rows).toEqual([]);
    const rowLocks = await observer.query(`SELECT id FROM outbox_message FOR UPDATE SKIP LOCKED`);
    expect(rowLocks.rows).toHaveLength(keys.length); // none of them is locked

    // The first claim is presumed dead once its lease has run out; the server behaves again.
    t.clock.advance(2 * SEND_TIMEOUT_MS + 1);
    smtp.mode = 'drop';
    smtp.drop = () => false;
    const second = await sender.deliverDue({ lanes: 1, batchSize: keys.length });
    expect(second).toEqual({ sent: keys.length, retried: 0, failed: 0 });

    // The first claim's messages time out one by one; their outcome is refused by the claim token.
    const late = await first;
    expect(late).toEqual({ sent: 0, retried: 0, failed: 0 });
    const after = await observer.query<{ state: string; attempts: number; lease_until: Date | null; last_error: string | null }>(
      `SELECT state, attempts, lease_until, last_error FROM outbox_message ORDER BY id`,
    );
    expect(after.rows).toEqual(keys.map(() => ({ state: 'sent', attempts: 2, lease_until: null, last_error: null })));
    for (const k of keys) expect(smtp.withMessageId(messageIdFor(k, DOMAIN))).toHaveLength(1);
  });

  it('times each message out on its own and sends it back to pending, not possibly delivered', async () => {
    smtp.mode = 'hang';
    const key = 'test:hang:alone@example.se';
    await t.dataSource.transaction((manager) => enqueueMessage(manager, message(key, 'alone@example.se'), t.clock.now(), DOMAIN));
    const started = Date.now();
    expect(await sender.deliverDue()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(Date.now() - started).toBeLessThan(SEND_TIMEOUT_MS + 2000);
    const [row] = await t.dataSource.query(`SELECT state, possibly_delivered_count, last_error FROM outbox_message WHERE idempotency_key = $1`, [key]);
    expect(row).toMatchObject({ state: 'pending', possibly_delivered_count: 0 });
    expect(row.last_error).toMatch(/EABORT|ETIMEDOUT/);
  });
});
