import { createBromodellenParties, bromodellenBody, type BromodellenParties, sendEvent } from '@test/support/factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

/** Every bad input gets a 4xx that names what is wrong, and the database is unchanged. */
describe('bad input', () => {
  let t: TestApp;
  let p: BromodellenParties;

  beforeAll(async () => {
    t = await startTestApp();
    p = await createBromodellenParties(t);
  });
  afterAll(() => t.close());

  const counts = async () =>
    (await t.dataSource.query(`SELECT (SELECT count(*) FROM agreement)::int AS a, (SELECT count(*) FROM audit_event)::int AS e, (SELECT count(*) FROM organisation)::int AS o`))[0];

  const fieldsOf = (body: { problems?: Array<{ field: string }> }) => (body.problems ?? []).map((x) => x.field);

  it('an unknown field is refused by name', async () => {
    const before = await counts();
    const res = await t.as(p.bildaSignatory.id).post('/agreements').send({ ...bromodellenBody(p), budgetMagic: 1 }).expect(400);
    expect(fieldsOf(res.body)).toContain('budgetMagic');
    expect(res.body.problems[0].message).toContain('okänt fält');
    expect(await counts()).toEqual(before);
  });

  it('an organisationsnummer with a wrong check digit is refused', async () => {
    const before = await counts();
    const res = await t.admin().post('/organisations').send({ name: 'Felaktig förening', organisationNumber: '802011-1914', kind: 'civil_society' }).expect(400);
    expect(fieldsOf(res.body)).toEqual(['organisationNumber']);
    expect(res.body.problems[0].message).toMatch(/kontrollsiffra/);
    expect(await counts()).toEqual(before);
  });

  it('an end before the start is refused', async () => {
    const before = await counts();
    const res = await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { validity: { startDate: '2024-01-01', endDate: '2023-12-31' } })).expect(400);
    expect(fieldsOf(res.body)).toContain('validity.endDate');
    expect(await counts()).toEqual(before);
  });

  it('contributions that do not add up are refused, naming the amounts', async () => {
    const before = await counts();
    const body = bromodellenBody(p);
    body.parties = [
      { organisationId: p.kommun.id, contributionKr: 1658160, shareBasisPoints: 7000 },
      { organisationId: p.bilda.id, contributionKr: 592200, shareBasisPoints: 2500 },
      { organisationId: p.erikshjalpen.id, contributionKr: 100000, shareBasisPoints: 400 },
    ];
    const res = await t.as(p.bildaSignatory.id).post('/agreements').send(body).expect(400);
    expect(fieldsOf(res.body)).toContain('parties');
    const messages = res.body.problems.map((x: { message: string }) => x.message).join(' ');
    // Formatted as in the rest of the interface (no-break spaces).
    expect(messages).toContain('2\u00a0350\u00a0360\u00a0kr');
    expect(messages).toContain('99\u00a0%');
    expect(await counts()).toEqual(before);
  });

  it('money in öre fractions or as text is refused', async () => {
    const res = await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { economics: { costLines: [], totalKr: '2368800', indexationBasisPoints: 2.5 } })).expect(400);
    expect(fieldsOf(res.body)).toEqual(expect.arrayContaining(['economics.totalKr', 'economics.indexationBasisPoints']));
  });

  it('an initiative must come from a civil-society organisation', async () => {
    const res = await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { proposedByOrganisationId: p.kommun.id })).expect(400);
    expect(res.body.problems[0]).toMatchObject({ field: 'proposedByOrganisationId' });
  });

  it('sending for signing with incomplete terms is a 409 naming the state, and changes nothing', async () => {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { extension: undefined })).expect(201)).body.id;
    await sendEvent(t, p, id, { type: 'ACCEPT_INITIATIVE' }).expect(200);
    const res = await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(409);
    expect(res.body).toMatchObject({ error: 'event_not_allowed', state: 'draft' });
    expect((await t.as(p.secretariat.id).get(`/agreements/${id}`)).body.state).toBe('draft');
  });

  it('a refusal of an extension without a reason names the missing field', async () => {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id;
    const res = await sendEvent(t, p, id, { type: 'DECLINE_INITIATIVE' }).expect(400);
    expect(fieldsOf(res.body)).toEqual(['reason']);
  });

  it('an event the clock sends cannot be sent by a person', async () => {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id;
    const res = await sendEvent(t, p, id, { type: 'END_DATE_PASSED' }).expect(400);
    expect(fieldsOf(res.body)).toEqual(['type']);
  });

  it('an unknown or malformed id is a 404, never a 500', async () => {
    await t.as(p.secretariat.id).get('/agreements/00000000-0000-4000-8000-000000000000').expect(404);
    await t.as(p.secretariat.id).get('/agreements/inte-ett-id').expect(404);
    await t.as(p.secretariat.id).post('/agreements/00000000-0000-4000-8000-000000000000/events').send({ type: 'ACCEPT_INITIATIVE' }).expect(404);
  });

  it('an address no route has is JSON for API clients and a Swedish page for a browser', async () => {
    const api = await t.http().get('/finns-inte').set('Accept', 'application/json').expect(404);
    expect(api.body).toMatchObject({ error: 'not_found' });
    const browser = await t.http().get('/finns-inte').set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8').expect(404);
    expect(browser.headers['content-type']).toMatch(/text\/html/);
    expect(browser.text).toContain('Sidan finns inte');
    expect(browser.text).toContain('lang="sv"');
  });

  it('a bad filter is refused by name', async () => {
    const res = await t.as(p.secretariat.id).get('/agreements?deadlineBefore=igår').expect(400);
    expect(fieldsOf(res.body)).toEqual(['deadlineBefore']);
    await t.as(p.secretariat.id).get('/agreements?state=påhittat').expect(400);
  });

  it('edits terms in draft through the engine, and refuses them once signing has begun', async () => {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id;
    await sendEvent(t, p, id, { type: 'ACCEPT_INITIATIVE' }).expect(200);
    const { proposedByOrganisationId: _omit, ...terms } = bromodellenBody(p);
    const edited = await t.as(p.secretariat.id).put(`/agreements/${id}`).send({ ...terms, title: 'Bromodellen 2.0', expectedVersion: 2 }).expect(200);
    expect(edited.body).toMatchObject({ title: 'Bromodellen 2.0', rowVersion: 3 });
    await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);
    const res = await t.as(p.secretariat.id).put(`/agreements/${id}`).send({ ...terms, title: 'Smygändring' }).expect(409);
    expect(res.body.state).toBe('signing');
    expect((await t.as(p.secretariat.id).get(`/agreements/${id}`)).body.title).toBe('Bromodellen 2.0');
  });
});
