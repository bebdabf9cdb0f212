import { createBromodellenParties, bromodellenBody, senderOf, type BromodellenParties } from '@test/support/factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

describe('an agreement driven through the engine path over HTTP', () => {
  let t: TestApp;
  let p: BromodellenParties;

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-05-02T08:00:00Z' });
    p = await createBromodellenParties(t);
  });
  afterAll(() => t.close());

  const send = (id: string, body: Record<string, unknown> & { type: string }, personId = senderOf(p, body)) =>
    t.as(personId).post(`/agreements/${id}/events`).send(body);

  it('takes Bromodellen from initiative through signing to renewed, with the history to show it', async () => {
    const created = await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201);
    const id = created.body.id as string;
    expect(created.body.state).toBe('initiative');
    expect(created.body.parties.map((x: { name: string }) => x.name)).toEqual(['Linköpings kommun', 'Studieförbundet Bilda Sydöst', 'Erikshjälpen Linköping']);

    await send(id, { type: 'ACCEPT_INITIATIVE' }, p.secretariat.id).expect(200);
    await send(id, { type: 'SEND_FOR_SIGNING' }, p.secretariat.id).expect(200);
    t.clock.freeze('2023-11-15T10:00:00Z');
    await send(id, { type: 'SIGN', organisationId: p.kommun.id }, p.kommunSignatory.id).expect(200);
    // The last two parties sign at the same moment: both signatures are kept, 'signed' is reached once.
    const [a, b] = await Promise.all([
      send(id, { type: 'SIGN', organisationId: p.bilda.id }, p.bildaSignatory.id),
      send(id, { type: 'SIGN', organisationId: p.erikshjalpen.id }, p.ehSignatory.id),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.to, b.body.to].sort()).toEqual(['signed', 'signing']);

    const view = (await t.as(p.secretariat.id).get(`/agreements/${id}`).expect(200)).body;
    expect(view.parties.every((x: { signed: boolean }) => x.signed)).toBe(true);
    expect(view.nextDeadline).toMatchObject({ kind: 'start', date: '2024-01-01' });

    const timers = await t.dataSource.query(`SELECT kind, due_date::text AS due, event_type FROM case_timer WHERE case_id = $1 AND fired_at IS NULL`, [id]);
    expect(timers).toEqual([{ kind: 'start', due: '2024-01-01', event_type: 'START_DATE_REACHED' }]);

    const history = (await t.as(p.secretariat.id).get(`/agreements/${id}/history`).expect(200)).body;
    expect(history.map((h: { eventType: string }) => h.eventType)).toEqual(['PROPOSE_INITIATIVE', 'ACCEPT_INITIATIVE', 'SEND_FOR_SIGNING', 'SIGN', 'SIGN', 'SIGN']);
    expect(history[1]).toMatchObject({ actorName: 'Nämndsekreterare Nina', actorOrganisationName: 'Linköpings kommun', fromState: 'initiative', toState: 'draft' });
    expect(history.filter((h: { toState: string }) => h.toState === 'signed')).toHaveLength(1);
  });

  it('refuses an event the state does not take with 409 naming the state and the allowed events, and records the attempt', async () => {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    const res = await send(id, { type: 'SIGN', organisationId: p.kommun.id }).expect(409);
    expect(res.body).toMatchObject({ error: 'event_not_allowed', state: 'initiative' });
    expect(res.body.allowedEvents).toEqual(expect.arrayContaining(['ACCEPT_INITIATIVE', 'DECLINE_INITIATIVE']));
    expect(res.body.message).toContain('Initiativ');
    const history = (await t.as(p.secretariat.id).get(`/agreements/${id}/history`).expect(200)).body;
    expect(history.at(-1)).toMatchObject({ eventType: 'SIGN', outcome: 'refused', fromState: 'initiative', toState: 'initiative' });
    expect((await t.as(p.secretariat.id).get(`/agreements/${id}`)).body.rowVersion).toBe(1);
  });

  it('refuses a stale row version', async () => {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    await send(id, { type: 'ACCEPT_INITIATIVE', expectedVersion: 1 }).expect(200);
    const stale = await send(id, { type: 'SEND_FOR_SIGNING', expectedVersion: 1 }).expect(409);
    expect(stale.body).toMatchObject({ error: 'stale_version', currentVersion: 2 });
    expect((await t.as(p.secretariat.id).get(`/agreements/${id}`)).body.state).toBe('draft');
  });
});
