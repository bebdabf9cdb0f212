import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { messageIdFor, enqueueMessage, type OutgoingMessage } from '@app/notifications/outbox.repository';
import { OutboxSenderService } from '@app/notifications/outbox-sender.service';
import { bromodellenBody, createBromodellenParties } from '@test/support/factories';
import { simpleParser } from 'mailparser';
import { SmtpSink } from '@test/support/smtp-sink';
import { startTestApp, type TestApp } from '@test/support/test-app';

const MSGID_DOMAIN = 'example.se';
const SECRETARIAT = 'kansli@example.se';
const ICS = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//IOP-motorn//SV', 'METHOD:PUBLISH', 'BEGIN:VEVENT', 'UID:test@example.se', 'DTSTAMP:20230501T080000Z', 'DTSTART;VALUE=DATE:20250930', 'SUMMARY:Beslut om förlängning', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

function message(key: string, recipient: string, overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    idempotencyKey: key,
    case: null,
    kind: 'decision_upcoming',
    recipient,
    recipientName: 'Maria Lund',
    subject: `Påminnelse: beslut om förlängning (${key})`,
    text: `Hej! Beslut om förlängning ska fattas senast 2025-09-30. (${key})`,
    html: `<p>Hej! Beslut om förlängning ska fattas senast <strong>2025-09-30</strong>. (${key})</p>`,
    ics: ICS,
    ...overrides,
  };
}

async function enqueue(t: TestApp, messages: OutgoingMessage[]): Promise<boolean[]> {
  return t.dataSource.transaction(async (manager) => {
    const written: boolean[] = [];
    for (const m of messages) written.push(await enqueueMessage(manager, m, t.clock.now(), MSGID_DOMAIN));
    return written;
  });
}

interface Row {
  id: string;
  idempotency_key: string;
  state: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  sent_at: Date | null;
  recipient: string;
  kind: string;
}

async function rowsFor(t: TestApp, keys: string[]): Promise<Row[]> {
  return t.dataSource.query<Row[]>(`SELECT * FROM outbox_message WHERE idempotency_key = ANY($1) ORDER BY id`, [keys]);
}

describe('outbox delivery over a real SMTP server', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let sender: OutboxSenderService;

  beforeAll(async () => {
    await sink.listen(0);
    t = await startTestApp({ now: '2025-09-01T06:00:00Z', env: { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, SECRETARIAT_EMAIL: SECRETARIAT, SMTP_MAX_CONNECTIONS: '3' } });
    sender = t.started.app.get(OutboxSenderService);
  });
  afterAll(async () => {
    await t?.close();
    await sink.close();
  });

  it('delivers each message once, with its Message-ID, text and HTML parts and the deadline.ics attachment', async () => {
    const p = await createBromodellenParties(t);
    const agreementId = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    // The spec delivers the messages it writes itself: the initiative's notices (their own spec, step-notices) are set aside.
    await t.dataSource.query(`DELETE FROM outbox_message WHERE idempotency_key LIKE 'notice:%'`);
    const recipients = ['maria@example.se', 'sofia@example.se', 'Anders@Example.se', 'nadia@example.se', 'per@example.se', 'lena@example.se', 'karin@example.se'];
    const keys = recipients.map((r) => `test:first:${r.toLowerCase()}`);
    expect(await enqueue(t, recipients.map((r, i) => message(keys[i], r, { case: { type: 'agreement', id: agreementId }, ics: i === 0 ? ICS : null })))).toEqual(recipients.map(() => true));

    const result = await sender.deliverDue();
    expect(result).toEqual({ sent: recipients.length, retried: 0, failed: 0 });

    for (const [i, key] of keys.entries()) {
      const copies = sink.withMessageId(messageIdFor(key, MSGID_DOMAIN));
      expect(copies).toHaveLength(1);
      const { mail, rcptTo, raw } = copies[0];
      expect(rcptTo).toEqual([recipients[i].toLowerCase()]);
      expect(mail.subject).toBe(`Påminnelse: beslut om förlängning (${key})`);
      expect(mail.text?.trim()).toBe(`Hej! Beslut om förlängning ska fattas senast 2025-09-30. (${key})`);
      expect(mail.html).toContain('<strong>2025-09-30</strong>');
      expect(mail.from?.value).toEqual([{ name: 'IOP-motorn', address: 'noreply@example.se' }]);
      expect(mail.date?.toISOString()).toBe('2025-09-01T06:00:00.000Z');
      if (i === 0) {
        expect(mail.attachments).toHaveLength(1);
        const [ics] = mail.attachments;
        expect(ics.filename).toBe('deadline.ics');
        expect(ics.contentType).toBe('text/calendar');
        expect(ics.content.toString('utf8')).toBe(ICS);
        expect(raw.toString('latin1')).toMatch(/Content-Type: text\/calendar; method=PUBLISH; charset=utf-8/i);
      } else {
        expect(mail.attachments).toHaveLength(0);
      }
    }

    const rows = await rowsFor(t, keys);
    expect(rows.map((r) => [r.state, r.attempts, r.sent_at?.toISOString()])).toEqual(keys.map(() => ['sent', 1, '2025-09-01T06:00:00.000Z']));

    // Nothing is sent twice: a second round finds nothing due.
    expect(await sender.deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(keys.flatMap((k) => sink.withMessageId(messageIdFor(k, MSGID_DOMAIN)))).toHaveLength(keys.length);

    const listed = (await t.as(p.secretariat.id).get(`/agreements/${agreementId}/notifications`).expect(200)).body as Array<Record<string, unknown>>;
    const mine = listed.filter((n) => keys.includes(`test:first:${String(n.recipient)}`));
    expect(mine).toHaveLength(keys.length);
    expect(mine[0]).toMatchObject({
      recipient: 'maria@example.se',
      recipientName: 'Maria Lund',
      kind: 'decision_upcoming',
      state: 'sent',
      stateLabel: 'Skickat',
      attempts: 1,
      lastError: null,
      createdAt: '2025-09-01T06:00:00.000Z',
      sentAt: '2025-09-01T06:00:00.000Z',
    });
    await t.admin().get('/agreements/7d0b3a56-9a3c-4d7a-9c1e-2f1b6f0e8a11/notifications').expect(404);
    await t.admin().get('/agreements/not-a-uuid/notifications').expect(404);
  });

  it('a second enqueue with the same idempotency key writes nothing', async () => {
    const key = 'test:idempotent:maria@example.se';
    expect(await enqueue(t, [message(key, 'maria@example.se')])).toEqual([true]);
    expect(await enqueue(t, [message(key, 'maria@example.se', { subject: 'Annan rubrik' })])).toEqual([false]);
    const rows = await rowsFor(t, [key]);
    expect(rows).toHaveLength(1);
    await sender.deliverDue();
    expect(await enqueue(t, [message(key, 'maria@example.se')])).toEqual([false]);
    expect(await sender.deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    const copies = sink.withMessageId(messageIdFor(key, MSGID_DOMAIN));
    expect(copies).toHaveLength(1);
    expect(copies[0].mail.subject).not.toBe('Annan rubrik');
  });

  it('while SMTP is down messages wait with backoff; once it is back each is delivered exactly once', async () => {
    await sink.close();
    const recipients = ['a@example.se', 'b@example.se', 'c@example.se', 'd@example.se'];
    const keys = recipients.map((r) => `test:down:${r}`);
    await enqueue(t, recipients.map((r, i) => message(keys[i], r)));
    const start = t.clock.now().getTime();

    expect(await sender.deliverDue()).toEqual({ sent: 0, retried: recipients.length, failed: 0 });
    let rows = await rowsFor(t, keys);
    for (const row of rows) {
      expect(row).toMatchObject({ state: 'pending', attempts: 1, sent_at: null });
      expect(row.last_error).toMatch(/ECONNECTION|ECONNREFUSED/);
      // 1 min × 2^0, plus at most 10 % jitter.
      expect(row.next_attempt_at.getTime()).toBeGreaterThanOrEqual(start + 60_000);
      expect(row.next_attempt_at.getTime()).toBeLessThanOrEqual(start + 66_000);
    }

    // Before the backoff has passed nothing is tried, even with the server back.
    await sink.listen();
    t.clock.advance(30_000);
    expect(await sender.deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(keys.flatMap((k) => sink.withMessageId(messageIdFor(k, MSGID_DOMAIN)))).toHaveLength(0);

    // Down again for the second attempt: the backoff doubles.
    await sink.close();
    t.clock.advance(40_000);
    expect(await sender.deliverDue()).toEqual({ sent: 0, retried: recipients.length, failed: 0 });
    rows = await rowsFor(t, keys);
    const second = t.clock.now().getTime();
    for (const row of rows) {
      expect(row.attempts).toBe(2);
      expect(row.next_attempt_at.getTime()).toBeGreaterThanOrEqual(second + 120_000);
      expect(row.next_attempt_at.getTime()).toBeLessThanOrEqual(second + 132_000);
    }

    await sink.listen();
    t.clock.advance(133_000);
    expect(await sender.deliverDue()).toEqual({ sent: recipients.length, retried: 0, failed: 0 });
    expect(await sender.deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    for (const key of keys) expect(sink.withMessageId(messageIdFor(key, MSGID_DOMAIN))).toHaveLength(1);
    rows = await rowsFor(t, keys);
    expect(rows.map((r) => [r.state, r.attempts])).toEqual(keys.map(() => ['sent', 3]));
  });

  it('a permanent refusal fails that message only, reports it to the secretariat and lists it for administrators', async () => {
    sink.refuse.add('gone@example.se');
    const recipients = ['ok1@example.se', 'gone@example.se', 'ok2@example.se'];
    const keys = recipients.map((r) => `test:refused:${r}`);
    await enqueue(t, recipients.map((r, i) => message(keys[i], r, { recipientName: i === 1 ? 'Försvunnen Person' : null })));

    expect(await sender.deliverDue()).toEqual({ sent: 3, retried: 0, failed: 1 }); // two messages and the report
    expect(sink.to('ok1@example.se')).toHaveLength(1);
    expect(sink.to('ok2@example.se')).toHaveLength(1);
    expect(sink.to('gone@example.se')).toHaveLength(0);

    const [, refused] = await rowsFor(t, keys);
    expect(refused.state).toBe('failed');
    expect(refused.attempts).toBe(1);
    expect(refused.last_error).toContain('550');
    expect(refused.last_error).toContain('Mailbox unavailable');

    const reports = sink.to(SECRETARIAT);
    expect(reports).toHaveLength(1);
    const report = reports[0].mail;
    expect(report.messageId).toBe(messageIdFor(`delivery-failure:${refused.id}`, 'example.se'));
    expect(report.subject).toBe(`Utskick kunde inte levereras: Påminnelse: beslut om förlängning (${keys[1]})`);
    expect(report.text).toContain('Mottagare: Försvunnen Person <gone@example.se>');
    expect(report.text).toContain('550');
    expect(report.html).toContain('Försvunnen Person &#60;gone@example.se&#62;');

    const failed = (await t.admin().get('/notifications/failed').expect(200)).body as Array<Record<string, unknown>>;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ id: refused.id, recipient: 'gone@example.se', state: 'failed', stateLabel: 'Kunde inte levereras', attempts: 1 });
    expect(failed[0].lastError).toContain('550');
    expect(await sender.deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
  });

  it('a report that cannot be delivered is not reported again', async () => {
    sink.refuse.add(SECRETARIAT);
    const key = 'test:loop:gone@example.se';
    await enqueue(t, [message(key, 'gone@example.se')]);
    const before = sink.received.length;
    expect(await sender.deliverDue()).toEqual({ sent: 0, retried: 0, failed: 2 });
    expect(await sender.deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(sink.received.length).toBe(before);
    const [row] = await rowsFor(t, [key]);
    const reports = await t.dataSource.query<Row[]>(`SELECT * FROM outbox_message WHERE kind = 'delivery_failure' ORDER BY id`);
    expect(reports.map((r) => [r.idempotency_key, r.state])).toEqual([
      [expect.stringMatching(/^delivery-failure:\d+$/), 'sent'],
      [`delivery-failure:${row.id}`, 'failed'],
    ]);
    sink.refuse.clear();
  });
});

describe('outbox delivery without SMTP_URL: the local mailbox', () => {
  let t: TestApp;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'iop-mailbox-'));
    t = await startTestApp({ now: '2025-09-01T06:00:00Z', env: { DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await t?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('writes each message as an .eml file under DATA_DIR/mail and lists it at GET /mailbox', async () => {
    const key = 'test:mailbox:maria@example.se';
    await enqueue(t, [message(key, 'maria@example.se')]);
    const [row] = await rowsFor(t, [key]);
    expect(await t.started.app.get(OutboxSenderService).deliverDue()).toEqual({ sent: 1, retried: 0, failed: 0 });

    const files = await fs.readdir(path.join(dataDir, 'mail'));
    expect(files).toEqual([`${row.id}.eml`]);
    const raw = await fs.readFile(path.join(dataDir, 'mail', `${row.id}.eml`));
    const mail = await simpleParser(raw);
    expect(mail.messageId).toBe(messageIdFor(key, MSGID_DOMAIN));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([{ name: 'Maria Lund', address: 'maria@example.se' }]);
    expect(mail.html).toContain('<strong>2025-09-30</strong>');
    expect(mail.text).toContain('senast 2025-09-30');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['deadline.ics', 'text/calendar']]);

    const listing = (await t.admin().get('/mailbox').expect(200)).body;
    expect(listing.mode).toBe('mailbox');
    expect(listing.messages).toEqual([
      expect.objectContaining({ id: row.id, file: `${row.id}.eml`, url: `/mailbox/${row.id}.eml`, recipient: 'maria@example.se', subject: `Påminnelse: beslut om förlängning (${key})`, sizeBytes: raw.length }),
    ]);

    const download = await t.admin().get(`/mailbox/${row.id}.eml`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(download.headers['content-type']).toMatch(/^message\/rfc822/);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${row.id}.eml"`);
    expect(Buffer.compare(download.body as Buffer, raw)).toBe(0);
    await t.admin().get('/mailbox/999999.eml').expect(404);
    await t.admin().get('/mailbox/passwd').expect(404);

    const [sent] = await rowsFor(t, [key]);
    expect(sent.state).toBe('sent');
  });
});
