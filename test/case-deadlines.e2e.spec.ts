import { Client } from 'pg';
import { deadlinesOf } from '@workflows/agreement/deadlines';
import { CaseDeadlineProjector } from '@app/cases/case-deadline.projector';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { createBromodellenParties, bromodellenBody, type BromodellenParties, sendEvent } from '@test/support/factories';
import { parseCalendar } from '@test/support/ical';
import { startTestApp, type TestApp } from '@test/support/test-app';

interface DeadlineRow {
  kind: string;
  cycle: number;
  due_date: string;
  overdue: boolean;
}

/**
 * The engine keeps every case's dates as rows (case_deadline) in the transition's transaction; the
 * views read them by date range. Cases written before the table existed are projected by the
 * service, and one it cannot read costs only that case.
 */
describe('case dates as rows', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let superuser: Client;
  let agreementId: string;

  const rowsOf = async (id: string): Promise<DeadlineRow[]> =>
    (await superuser.query<DeadlineRow>(`SELECT kind, cycle, to_char(due_date, 'YYYY-MM-DD') AS due_date, overdue FROM case_deadline WHERE case_id = $1 ORDER BY due_date, kind`, [id])).rows;

  const expectedOf = async (id: string): Promise<DeadlineRow[]> => {
    const [row] = (await superuser.query(`SELECT machine_version, state_value, context FROM agreement WHERE id = $1`, [id])).rows;
    return deadlinesOf({ machineVersion: row.machine_version, value: row.state_value, context: row.context })
      .map((d) => ({ kind: d.kind, cycle: d.cycle, due_date: d.dueDate, overdue: d.overdue }))
      .sort((a, b) => (a.due_date < b.due_date ? -1 : a.due_date > b.due_date ? 1 : a.kind < b.kind ? -1 : 1));
  };

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-10-01T08:00:00Z', env: { PUBLIC_BASE_URL: 'https://iop.example.se' } });
    superuser = new Client({ connectionString: t.db.url });
    await superuser.connect();
    p = await createBromodellenParties(t);
    agreementId = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
  });
  afterAll(async () => {
    await superuser?.end();
    await t?.close();
  });

  it('follows every transition, in its transaction: exactly the dates the pure machine derives', async () => {
    expect(await rowsOf(agreementId)).toEqual([]);
    for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))]) {
      await sendEvent(t, p, agreementId, body).expect(200);
    }
    const signed = await rowsOf(agreementId);
    expect(signed.map((r) => r.kind)).toEqual(['start', 'end']);
    expect(signed).toEqual(await expectedOf(agreementId));

    t.clock.freeze('2024-06-01T08:00:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
    const active = await rowsOf(agreementId);
    expect(active).toEqual(await expectedOf(agreementId));
    expect(active.map((r) => [r.kind, r.due_date])).toEqual([
      ['decision_window', '2025-03-31'],
      ['decision_due', '2025-09-30'],
      ['end', '2025-12-31'],
    ]);
    expect((await superuser.query(`SELECT deadlines_version FROM case_record WHERE id = $1`, [agreementId])).rows[0].deadlines_version).toBe(1);
  });

  it('projects cases written before the table existed, and a snapshot it cannot read costs only that case', async () => {
    // As after the upgrade: no rows, and the case not marked projected.
    await superuser.query(`DELETE FROM case_deadline`);
    await superuser.query(`UPDATE case_record SET deadlines_version = NULL`);
    // A second agreement stored by a newer version than this code knows.
    const newer = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { title: 'Nyare version' })).expect(201)).body.id as string;
    await superuser.query(`UPDATE agreement SET machine_version = 99 WHERE id = $1`, [newer]);
    await superuser.query(`DELETE FROM case_deadline WHERE case_id = $1`, [newer]);
    await superuser.query(`UPDATE case_record SET deadlines_version = NULL WHERE id = $1`, [newer]);

    // The first view to read projects what is missing, then reads it.
    const { token } = (await t.as(p.secretariat.id).post(`/people/${p.secretariat.id}/calendar-token`).expect(201)).body as { token: string };
    const feed = parseCalendar((await t.http().get('/calendar.ics').query({ token }).expect(200)).text);
    // The end date, 19 months ahead, is outside the feed's 18-month window.
    expect(feed.events.map((e) => e.start)).toEqual(['2025-03-31', '2025-09-30']);
    expect(await rowsOf(agreementId)).toEqual(await expectedOf(agreementId));
    const versions = (await superuser.query(`SELECT id, deadlines_version FROM case_record ORDER BY deadlines_version`)).rows;
    expect(versions.find((r) => r.id === newer)?.deadlines_version).toBe(0);
    expect(versions.find((r) => r.id === agreementId)?.deadlines_version).toBe(1);
    // Nothing left to do: a second catch-up finds nothing.
    expect(await t.started.app.get(CaseDeadlineProjector).catchUp()).toBe(0);
  });

  it('answers an unchanged feed with 304 to the ETag it gave, and a changed one in full', async () => {
    const { token } = (await t.as(p.kommunSignatory.id).post(`/people/${p.kommunSignatory.id}/calendar-token`).expect(201)).body as { token: string };
    const first = await t.http().get('/calendar.ics').query({ token }).expect(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('no-store');
    // Another second on the clock changes the DTSTAMP, not the dates: still 304.
    t.clock.freeze('2024-06-01T09:00:00Z');
    const again = await t.http().get('/calendar.ics').query({ token }).set('If-None-Match', etag).expect(304);
    expect(again.text ?? '').toBe('');
    // A refusal of the extension moves no date; consenting opens nothing yet: change the dates by the clock instead.
    t.clock.freeze('2025-03-31T08:00:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
    const changed = await t.http().get('/calendar.ics').query({ token }).set('If-None-Match', etag).expect(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(parseCalendar(changed.text).events.map((e) => e.start)).toEqual(['2025-09-30', '2025-12-31']);
  });

  it('covers 3 months back and 18 ahead by default: a date further out is not in the feed yet', async () => {
    t.clock.freeze('2024-06-01T08:00:00Z');
    const far = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { title: 'Långt fram', validity: { startDate: '2026-01-01', endDate: '2027-12-31' } })).expect(201)).body.id as string;
    for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))]) {
      await sendEvent(t, p, far, body).expect(200);
    }
    expect((await rowsOf(far)).map((r) => [r.kind, r.due_date])).toEqual([
      ['start', '2026-01-01'],
      ['end', '2027-12-31'],
    ]);
    const { token } = (await t.as(p.secretariat.id).post(`/people/${p.secretariat.id}/calendar-token`).expect(201)).body as { token: string };
    const events = parseCalendar((await t.http().get('/calendar.ics').query({ token }).expect(200)).text).events;
    // 2026-01-01 is 19 months ahead of 2024-06-01: outside the window, as is its end.
    expect(events.filter((e) => e.uid.includes(far))).toEqual([]);
    t.clock.freeze('2024-08-01T08:00:00Z');
    const later = parseCalendar((await t.http().get('/calendar.ics').query({ token }).expect(200)).text).events;
    expect(later.filter((e) => e.uid.includes(far)).map((e) => e.start)).toEqual(['2026-01-01']);
  });
});
