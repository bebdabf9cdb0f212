import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { createBromodellenParties, bromodellenBody, type BromodellenParties, sendEvent } from '@test/support/factories';
import { parseCalendar } from '@test/support/ical';
import { startTestApp, type TestApp } from '@test/support/test-app';

describe('weekly digest to the secretariat', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let sweeper: TimerSweeperService;

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-10-01T08:00:00Z', env: { SECRETARIAT_EMAIL: 'kansli@example.se', DIGEST_HORIZON_DAYS: '90' } });
    p = await createBromodellenParties(t);
    sweeper = t.started.app.get(TimerSweeperService);
  });
  afterAll(() => t.close());

  async function signed(overrides: Record<string, unknown>): Promise<string> {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, overrides)).expect(201)).body.id as string;
    for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))]) {
      await sendEvent(t, p, id, body).expect(200);
    }
    return id;
  }
  const digests = () =>
    t.dataSource.query<Array<{ idempotency_key: string; recipient: string; subject: string; text_body: string; ics: string | null }>>(
      `SELECT idempotency_key, recipient, subject, text_body, ics FROM outbox_message WHERE kind = 'weekly_digest' ORDER BY id`,
    );
  const sweepAt = async (instant: string) => {
    t.clock.freeze(instant);
    await sweeper.sweep();
  };

  it('is queued once per ISO week from Monday 07:00 Stockholm, overdue first', async () => {
    await signed({ title: 'Bromodellen' });
    await signed({ title: 'Språkvänner', validity: { startDate: '2025-11-17', endDate: '2027-11-16' } });
    // Monday before 07:00 (06:59 CEST): nothing yet.
    await sweepAt('2025-10-06T04:59:00Z');
    expect(await digests()).toEqual([]);
    await sweepAt('2025-10-06T05:00:00Z');
    await sweepAt('2025-10-06T12:00:00Z');
    await sweepAt('2025-10-09T12:00:00Z');
    const [digest, ...more] = await digests();
    expect(more).toEqual([]);
    expect(digest.idempotency_key).toBe('digest:2025-W41:kansli@example.se');
    expect(digest.recipient).toBe('kansli@example.se');
    expect(digest.subject).toBe('IOP veckobrev 2025-W41: 1 försenat, 2 datum de närmaste 90 dagarna');
    const text = digest.text_body;
    const overdue = text.indexOf('2025-09-30  Bromodellen (dnr AN 2023-0042): beslut om förlängning är försenat');
    const start = text.indexOf('2025-11-17  Språkvänner (dnr AN 2023-0042): startdatum');
    const end = text.indexOf('2025-12-31  Bromodellen (dnr AN 2023-0042): sista giltighetsdag');
    expect(overdue).toBeGreaterThan(text.indexOf('FÖRSENAT (1)'));
    expect(text.indexOf('DE NÄRMASTE 90 DAGARNA (2)')).toBeGreaterThan(overdue);
    expect(start).toBeGreaterThan(overdue);
    expect(end).toBeGreaterThan(start);
    expect(parseCalendar(digest.ics as string).events.map((e) => [e.start, e.summary])).toEqual([
      ['2025-11-17', 'IOP Språkvänner: startdatum'],
      ['2025-12-31', 'IOP Bromodellen: sista giltighetsdag'],
    ]);

    // The next Monday (winter time from 26 October: 07:00 is 06:00 UTC) brings the next one.
    await sweepAt('2025-10-27T05:59:00Z');
    expect((await digests()).map((d) => d.idempotency_key)).toEqual(['digest:2025-W41:kansli@example.se']);
    await sweepAt('2025-10-27T06:00:00Z');
    await sweepAt('2025-10-27T06:01:00Z');
    expect((await digests()).map((d) => d.idempotency_key)).toEqual(['digest:2025-W41:kansli@example.se', 'digest:2025-W44:kansli@example.se']);

    // A Monday with no sweep (service down) is caught up later the same week, once; earlier weeks are not.
    await sweepAt('2025-11-12T09:00:00Z');
    await sweepAt('2025-11-13T09:00:00Z');
    expect((await digests()).map((d) => d.idempotency_key)).toEqual([
      'digest:2025-W41:kansli@example.se',
      'digest:2025-W44:kansli@example.se',
      'digest:2025-W46:kansli@example.se',
    ]);
  });
});
