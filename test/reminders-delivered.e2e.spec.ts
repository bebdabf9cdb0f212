import { OutboxSenderService } from '@app/notifications/outbox-sender.service';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { addDays } from '@workflows/calendar/calendar';
import { NOTICE_KINDS } from '@workflows/agreement/notices';
import { bromodellenBody, createBromodellenParties, sendEvent } from '@test/support/factories';
import { SmtpSink } from '@test/support/smtp-sink';
import { startTestApp, type TestApp } from '@test/support/test-app';

const SECRETARIAT = 'kansli@example.se';
const GROUP_AND_SECRETARIAT = ['bilda@example.se', 'eh@example.se', 'nina@example.se', SECRETARIAT].sort();

/**
 * Bromodellen's first decision cycle lived day by day with a real SMTP server:
 * every reminder reaches the right people on its date, and nobody gets one twice.
 */
describe('reminders delivered over SMTP, day by day', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  /** date → "subject keyword → recipients" that arrived on that date */
  const arrivals: Array<{ date: string; to: string; subject: string; messageId: string }> = [];

  beforeAll(async () => {
    await sink.listen();
    t = await startTestApp({ now: '2023-10-01T08:00:00Z', env: { SECRETARIAT_EMAIL: SECRETARIAT, SMTP_URL: `smtp://127.0.0.1:${sink.port}` } });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('arrive on 2025-03-31, 05-31, 08-31, 09-23 and 09-30 to the samverkansgrupp and the secretariat, the escalation to the secretariat alone, each once', async () => {
    const p = await createBromodellenParties(t);
    const sweeper = t.started.app.get(TimerSweeperService);
    const sender = t.started.app.get(OutboxSenderService);
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))]) {
      await sendEvent(t, p, id, body).expect(200);
    }

    let day = '2025-03-01';
    while (day <= '2025-10-20') {
      t.clock.freeze(`${day}T08:00:00Z`);
      if (day === '2025-10-15') {
        // A late decision: all parties consent two weeks after the deadline.
        for (const o of [p.kommun, p.bilda, p.erikshjalpen]) await sendEvent(t, p, id, { type: 'CONSENT_TO_EXTENSION', organisationId: o.id }).expect(200);
      }
      await sweeper.sweep();
      const before = sink.received.length;
      await sender.deliverDue();
      for (const r of sink.received.slice(before)) {
        for (const to of r.rcptTo) arrivals.push({ date: day, to, subject: r.mail.subject ?? '', messageId: r.mail.messageId ?? '' });
      }
      day = addDays(day, 1);
    }

    const digests = arrivals.filter((a) => a.subject.startsWith('IOP veckobrev'));
    expect(digests.every((a) => a.to === SECRETARIAT)).toBe(true);
        expect(new Set(digests.map((a) => a.date)).size).toBe(digests.length);
    // The notices at each step (sent for signing, the decision window opened) have their own spec: these are the reminders.
    const noticeIds = new Set((await t.dataSource.query<Array<{ message_id: string }>>(`SELECT message_id FROM outbox_message WHERE idempotency_key LIKE 'notice:%'`)).map((r) => r.message_id));
    expect(noticeIds.size).toBeGreaterThan(0);
    const reminders = arrivals.filter((a) => !digests.includes(a) && !noticeIds.has(a.messageId));

    const decisionDays = [...new Set(reminders.filter((a) => a.to === 'bilda@example.se').map((a) => a.date))];
    expect(decisionDays).toEqual(['2025-03-31', '2025-05-31', '2025-08-31', '2025-09-23', '2025-09-30']);
    for (const date of decisionDays) {
      expect(reminders.filter((a) => a.date === date).map((a) => a.to).sort()).toEqual(GROUP_AND_SECRETARIAT);
    }
    const afterDeadline = reminders.filter((a) => a.date > '2025-09-30');
    expect(afterDeadline.length).toBeGreaterThan(0);
    expect(afterDeadline.every((a) => a.to === SECRETARIAT)).toBe(true);
    expect(afterDeadline[0].date).toBe('2025-10-01');

    // Nobody got the same message twice, and everything written to the outbox left it.
    const ids = arrivals.map((a) => `${a.messageId}|${a.to}`);
    expect(new Set(ids).size).toBe(ids.length);
    const states = await t.dataSource.query(`SELECT state, count(*)::int AS n FROM outbox_message GROUP BY state`);
    expect(states).toEqual([{ state: 'sent', n: arrivals.length }]);
    expect((await t.as(p.secretariat.id).get(`/agreements/${id}`)).body.state).toBe('renewed');
    const notifications = ((await t.as(p.secretariat.id).get(`/agreements/${id}/notifications`).expect(200)).body as Array<{ recipient: string; state: string; kind: string }>).filter(
      (n) => !(NOTICE_KINDS as readonly string[]).includes(n.kind),
    );
    // The agreement's own page lists its reminders (the digests belong to no single agreement).
    expect(notifications.filter((n) => n.state === 'sent')).toHaveLength(reminders.length);
  });
});
