import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { bromodellenBody, createBromodellenParties, type BromodellenParties, sendEvent } from '@test/support/factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

describe('per-agreement reminder policy', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let id: string;

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-10-01T08:00:00Z' });
    p = await createBromodellenParties(t);
    id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id;
    for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))]) {
      await sendEvent(t, p, id, body).expect(200);
    }
    t.clock.freeze('2024-06-01T08:00:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
  });
  afterAll(() => t.close());

  const planned = async () =>
    (
      await t.dataSource.query<Array<{ reminder_key: string; send_on: string }>>(
        `SELECT reminder_key, to_char(send_at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD') AS send_on FROM case_reminder
          WHERE case_id = $1 AND decided_at IS NULL ORDER BY send_at`,
        [id],
      )
    ).map((r) => `${r.reminder_key} ${r.send_on}`);

  it('replaces the planned decision reminders and records who changed them', async () => {
    expect(await planned()).toHaveLength(5);
    const res = await t.as(p.secretariat.id).put(`/agreements/${id}/reminder-policy`).set('x-person-id', p.secretariat.id).send({ decisionDueBefore: [{ months: 2 }, {}] }).expect(200);
    expect(res.body.reminderPolicy.decisionDueBefore).toEqual([{ months: 2 }, {}]);
    expect(res.body.reminderPolicy.overdueEscalationAfter.length).toBeGreaterThan(0);
    expect(await planned()).toEqual(['decision_upcoming:2m 2025-07-31', 'decision_upcoming:0d 2025-09-30']);
    const history = (await t.as(p.secretariat.id).get(`/agreements/${id}/history`).expect(200)).body;
    expect(history.at(-1)).toMatchObject({ eventType: 'SET_REMINDER_POLICY', actorName: 'Nämndsekreterare Nina', fromState: 'active', toState: 'active' });
  });

  it('refuses bad offsets and unknown fields by name, and changes nothing', async () => {
    const before = await planned();
    const res = await t.as(p.secretariat.id).put(`/agreements/${id}/reminder-policy`).send({ decisionDueBefore: [{ months: -1 }], sometimes: [] }).expect(400);
    const fields = res.body.problems.map((x: { field: string }) => x.field);
    expect(fields).toEqual(expect.arrayContaining(['decisionDueBefore.0.months', 'sometimes']));
    expect(await planned()).toEqual(before);
  });

  it('goes back to the defaults with an empty policy', async () => {
    await t.as(p.secretariat.id).put(`/agreements/${id}/reminder-policy`).send({}).expect(200);
    expect(await planned()).toHaveLength(5);
  });
});
