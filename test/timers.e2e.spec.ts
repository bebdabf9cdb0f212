import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { createBromodellenParties, bromodellenBody, type BromodellenParties, sendEvent } from '@test/support/factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

describe('deadlines stored as timer rows and fired through the engine path', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let sweeper: TimerSweeperService;

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-10-01T08:00:00Z' });
    p = await createBromodellenParties(t);
    sweeper = t.started.app.get(TimerSweeperService);
  });
  afterAll(() => t.close());

  async function signedBromodellen(): Promise<string> {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))]) {
      await sendEvent(t, p, id, body).expect(200);
    }
    return id;
  }

  it('a jump over several deadlines fires them in order, each on its own date', async () => {
    t.clock.freeze('2023-10-01T08:00:00Z');
    const id = await signedBromodellen();
    t.clock.freeze('2025-11-01T08:00:00Z');
    await sweeper.sweep();
    const history = (await t.as(p.secretariat.id).get(`/agreements/${id}/history`).expect(200)).body as Array<{ eventType: string; toState: string; payload: { effectiveOn: string }; actorRole: string }>;
    const fired = history.filter((h) => h.actorRole === 'system');
    expect(fired.map((h) => [h.eventType, h.payload.effectiveOn, h.toState])).toEqual([
      ['START_DATE_REACHED', '2024-01-01', 'active'],
      ['DECISION_WINDOW_OPENED', '2025-03-31', 'extensionDecision.pending'],
      ['DECISION_DEADLINE_PASSED', '2025-10-01', 'extensionDecision.overdue'],
    ]);
    const view = (await t.as(p.secretariat.id).get(`/agreements/${id}`).expect(200)).body;
    expect(view.state).toBe('extensionDecision.overdue');
    expect(view.stateLabel).toBe('Beslut om förlängning försenat');
    expect(view.nextDeadline).toMatchObject({ kind: 'end', date: '2025-12-31' });
  });

  it('a person acting before the timer replaces it; a timer that finds another state is skipped, not applied', async () => {
    t.clock.freeze('2023-10-01T08:00:00Z');
    const id = await signedBromodellen();
    t.clock.freeze('2024-06-01T08:00:00Z');
    await sweeper.sweep();
    // Terminated for breach before the decision window opens: the window timer must not fire.
    await sendEvent(t, p, id, { type: 'DECLARE_TERMINATION', declaredBy: 'secretariat', ground: 'material_breach', reason: 'Verksamheten har upphört utan besked.' }).expect(200);
    const pending = await t.dataSource.query(`SELECT count(*)::int AS n FROM case_timer WHERE case_id = $1 AND fired_at IS NULL`, [id]);
    expect(pending[0].n).toBe(0);

    // A stale row (as if scheduled before a crash) is re-checked against the state and recorded as skipped.
    await t.dataSource.query(
      `INSERT INTO case_timer (case_id, case_type, kind, cycle, due_date, due_at, event_type, scheduled_in_state) VALUES ($1, 'agreement', 'end', 0, '2025-12-31', '2025-12-31T23:00:00Z', 'END_DATE_PASSED', 'active')`,
      [id],
    );
    t.clock.freeze('2026-02-01T08:00:00Z');
    const result = await sweeper.sweep();
    expect(result.skipped).toBeGreaterThanOrEqual(1);
    const row = await t.dataSource.query(`SELECT outcome, fired_at IS NOT NULL AS fired FROM case_timer WHERE case_id = $1 AND event_type = 'END_DATE_PASSED'`, [id]);
    expect(row).toEqual([{ outcome: 'skipped', fired: true }]);
    expect((await t.as(p.secretariat.id).get(`/agreements/${id}`)).body.state).toBe('terminated.awaitingSettlement');
  });
});
