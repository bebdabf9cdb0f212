import { AccountsService } from '@app/auth/accounts.service';
import { NOT_NAMED_SIGNATORY } from '@workflows/agreement/rules';
import { bromodellenBody, createBromodellenParties, createPerson, sendEvent, type BromodellenParties } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

const PASSWORD = 'rätt-hästbatteri-häftklammer-17';

/**
 * The agreement names its firmatecknare (signatoryIds); the signatory role in a party's
 * organisation is not enough to sign for it, over HTTP and on the web pages alike.
 */
describe('only the signatories an agreement names sign for their party', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let unnamed: { id: string };
  let origin: string;

  beforeAll(async () => {
    t = await startTestApp();
    origin = new URL(t.started.config.publicBaseUrl).origin;
    p = await createBromodellenParties(t);
    unnamed = await createPerson(t, { name: 'Bilda Annan Firmatecknare', email: 'annan@example.se', organisationId: p.bilda.id }, ['signatory']);
    await t.started.app.get(AccountsService).upsert(unnamed.id, PASSWORD, ['signatory']);
  });
  afterAll(() => t.close());

  async function sentForSigning(): Promise<string> {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    await sendEvent(t, p, id, { type: 'ACCEPT_INITIATIVE' }).expect(200);
    await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);
    return id;
  }

  it('refuses a signatory of the party whom the agreement does not name, in Swedish, and records the refusal in its history', async () => {
    const id = await sentForSigning();
    const page = (await t.as(unnamed.id).get(`/agreements/${id}`).expect(200)).body as { signatories: Array<{ personId: string }> };
    expect(page.signatories.map((s) => s.personId)).not.toContain(unnamed.id);

    const refused = await t.as(unnamed.id).post(`/agreements/${id}/events`).send({ type: 'SIGN', organisationId: p.bilda.id });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: 'forbidden', message: NOT_NAMED_SIGNATORY });
    expect((await t.as(unnamed.id).post(`/agreements/${id}/events`).send({ type: 'RETURN_TO_DRAFT', organisationId: p.bilda.id, reason: 'vill ändra' })).status).toBe(403);
    const offered = (await t.as(unnamed.id).get(`/agreements/${id}/allowed-events`).expect(200)).body as { events: unknown[] };
    expect(offered.events).toEqual([]);

    const history = (await t.admin().get(`/agreements/${id}/history`).expect(200)).body as Array<{ eventType: string; outcome: string; actorName: string }>;
    expect(history.filter((h) => h.outcome === 'forbidden').map((h) => [h.eventType, h.actorName])).toEqual([
      ['SIGN', 'Bilda Annan Firmatecknare'],
      ['RETURN_TO_DRAFT', 'Bilda Annan Firmatecknare'],
    ]);
    // The one the agreement names signs.
    await t.as(p.bildaSignatory.id).post(`/agreements/${id}/events`).send({ type: 'SIGN', organisationId: p.bilda.id }).expect(200);
  });

  it('refuses the same person on the web page, with the session they signed in with', async () => {
    const id = await sentForSigning();
    const signedIn = await t.http().post('/auth/login').set('Origin', origin).send({ email: 'annan@example.se', password: PASSWORD }).expect(200);
    const cookie = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? []).find((c) => c.startsWith('iop_session='))?.split(';')[0] ?? '';
    const res = await t.http().post(`/overenskommelser/${id}/handelser`).set('Cookie', cookie).set('Origin', origin).type('form').send({ type: 'SIGN', organisationId: p.bilda.id });
    expect(res.status).toBe(403);
    const agreement = (await t.admin().get(`/agreements/${id}`).expect(200)).body as { parties: Array<{ organisationId: string; signed: boolean }> };
    expect(agreement.parties.find((x) => x.organisationId === p.bilda.id)?.signed).toBe(false);
  });

  it('lets the person sign once the secretariat names them in the terms', async () => {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    await sendEvent(t, p, id, { type: 'ACCEPT_INITIATIVE' }).expect(200);
    const { proposedByOrganisationId: _p, ...terms } = bromodellenBody(p, { signatoryIds: [p.kommunSignatory.id, unnamed.id, p.ehSignatory.id] });
    await t.as(p.secretariat.id).put(`/agreements/${id}`).send(terms).expect(200);
    await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);
    await t.as(unnamed.id).post(`/agreements/${id}/events`).send({ type: 'SIGN', organisationId: p.bilda.id }).expect(200);
    // Bilda's earlier firmatecknare is no longer named on this agreement.
    const old = await t.as(p.bildaSignatory.id).post(`/agreements/${id}/events`).send({ type: 'RETURN_TO_DRAFT', organisationId: p.bilda.id, reason: 'x' });
    expect(old.status).toBe(403);
  });
});
