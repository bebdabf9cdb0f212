/**
 * Issue 11 (T06): an SMTP server that takes the whole message and then drops the connection before
 * its 250 reply. The sender cannot know whether the message was delivered: it records "possibly
 * delivered", resends at most once more, then stops and reports it as possibly delivered.
 */
import { simpleParser } from 'mailparser';
import { enqueueMessage, messageIdFor, type OutgoingMessage } from '@app/notifications/outbox.repository';
import { MAX_POSSIBLY_DELIVERED, OutboxSenderService } from '@app/notifications/outbox-sender.service';
import { FaultySmtp } from '@test/support/faulty-smtp';
import { startTestApp, type TestApp } from '@test/support/test-app';

const DOMAIN = 'example.se';
const SECRETARIAT = 'kansli@example.se';

function message(key: string, recipient: string): OutgoingMessage {
  return {
    idempotencyKey: key,
    case: null,
    kind: 'decision_upcoming',
    recipient,
    recipientName: null,
    subject: `Påminnelse (${key})`,
    text: `Beslut ska fattas senast 2025-09-30. (${key})`,
    html: `<p>Beslut ska fattas senast 2025-09-30. (${key})</p>`,
  };
}

interface Row {
  id: string;
  idempotency_key: string;
  state: string;
  attempts: number;
  possibly_delivered_count: number;
  possibly_delivered_at: Date | null;
  last_error: string | null;
  lease_until: Date | null;
  claim_token: string | null;
}

describe('a server that drops the connection after DATA, before its 250', () => {
  const smtp = new FaultySmtp();
  let t: TestApp;
  let sender: OutboxSenderService;

  const enqueue = (messages: OutgoingMessage[]): Promise<void> =>
    t.dataSource.transaction(async (manager) => {
      for (const m of messages) await enqueueMessage(manager, m, t.clock.now(), DOMAIN);
    });
  const rows = (keys: string[]): Promise<Row[]> => t.dataSource.query<Row[]>(`SELECT * FROM outbox_message WHERE idempotency_key = ANY($1) ORDER BY id`, [keys]);

  beforeAll(async () => {
    await smtp.listen();
    t = await startTestApp({
      now: '2025-09-01T06:00:00Z',
      env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SECRETARIAT_EMAIL: SECRETARIAT, SMTP_MAX_CONNECTIONS: '3', OUTBOX_SEND_TIMEOUT_MS: '5000' },
    });
    sender = t.started.app.get(OutboxSenderService);
  });
  afterAll(async () => {
    await t?.close();
    await smtp.close();
  });

  it('records it as possibly delivered, resends at most once more, then stops and reports "kan ha levererats"', async () => {
    smtp.drop = (rcptTo) => !rcptTo.includes(SECRETARIAT);
    const key = 'test:pd:maria@example.se';
    await enqueue([message(key, 'maria@example.se')]);

    expect(await sender.deliverDue()).toEqual({ sent: 0, retried: 1, failed: 0 });
    let [row] = await rows([key]);
    expect(row).toMatchObject({ state: 'pending', attempts: 1, possibly_delivered_count: 1, lease_until: null, claim_token: null });
    expect(row.possibly_delivered_at?.toISOString()).toBe('2025-09-01T06:00:00.000Z');
    expect(row.last_error).toMatch(/^Kan ha levererats/);

    t.clock.advance(70_000);
    expect(await sender.deliverDue()).toEqual({ sent: 1, retried: 0, failed: 1 }); // the message ends; its report goes out
    [row] = await rows([key]);
    expect(row).toMatchObject({ state: 'possibly_delivered', attempts: 2, possibly_delivered_count: MAX_POSSIBLY_DELIVERED });

    // Bounded: the server saw the message twice and will not see it again.
    t.clock.advance(24 * 3600_000);
    expect(await sender.deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.withMessageId(messageIdFor(key, DOMAIN))).toHaveLength(MAX_POSSIBLY_DELIVERED);

    const reports = smtp.to(SECRETARIAT);
    expect(reports).toHaveLength(1);
    const report = await simpleParser(Buffer.from(reports[0].raw, 'latin1'));
    expect(report.subject).toBe(`Utskick kan ha levererats: Påminnelse (${key})`);
    expect(report.text).toContain('kan ha levererats');
    expect(report.text).toContain('Kan ha levererats: 2 gånger');
    expect(report.text?.toLowerCase()).not.toContain('kunde inte levereras');
    expect(String(report.html).toLowerCase()).not.toContain('kunde inte levereras');

    const incidents = await t.dataSource.query(`SELECT source, row_id, error, attempts, possibly_delivered, summary FROM incident WHERE source = 'outbox'`);
    expect(incidents).toEqual([
      { source: 'outbox', row_id: row.id, error: expect.stringMatching(/^Kan ha levererats/), attempts: 2, possibly_delivered: true, summary: `E-post som kan ha levererats till maria@example.se: Påminnelse (${key})` },
    ]);

    const failed = (await t.admin().get('/notifications/failed').expect(200)).body as Array<Record<string, unknown>>;
    expect(failed).toEqual([expect.objectContaining({ id: row.id, state: 'possibly_delivered', stateLabel: 'Kan ha levererats', possiblyDeliveredCount: 2 })]);
  });

  it('5 of 20 dropped: the 15 are sent once, the 5 are resent once (at most one extra copy each) and then sent', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `test:pd20:${i}@example.se`);
    const dropped = new Set(keys.filter((_, i) => i % 4 === 0).map((k) => k.slice('test:pd20:'.length)));
    smtp.drop = (rcptTo) => rcptTo.some((r) => dropped.has(r));
    await enqueue(keys.map((k) => message(k, k.slice('test:pd20:'.length))));

    expect(await sender.deliverDue()).toEqual({ sent: 15, retried: 5, failed: 0 });
    smtp.drop = () => false;
    t.clock.advance(70_000);
    expect(await sender.deliverDue()).toEqual({ sent: 5, retried: 0, failed: 0 });

    const all = await rows(keys);
    expect(all.every((r) => r.state === 'sent')).toBe(true);
    const copies = keys.map((k) => smtp.withMessageId(messageIdFor(k, DOMAIN)).length);
    expect(copies.filter((n) => n === 1)).toHaveLength(15);
    expect(copies.filter((n) => n === 2)).toHaveLength(5);
    expect(all.filter((r) => r.possibly_delivered_count === 1).map((r) => r.idempotency_key)).toEqual(keys.filter((k) => dropped.has(k.slice('test:pd20:'.length))));
  });

  it('a connection lost before the message went out is a plain temporary error, not "possibly delivered"', async () => {
    await smtp.close();
    const key = 'test:pd:refused@example.se';
    await enqueue([message(key, 'refused@example.se')]);
    expect(await sender.deliverDue()).toEqual({ sent: 0, retried: 1, failed: 0 });
    const [row] = await rows([key]);
    expect(row).toMatchObject({ state: 'pending', possibly_delivered_count: 0 });
    expect(row.last_error).toMatch(/ECONNECTION|ECONNREFUSED/);
  });
});
