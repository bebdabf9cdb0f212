import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { bromodellenBody, createBromodellenParties, createPerson, sendEvent, type BromodellenParties } from '@test/support/factories';
import { amendmentBody } from '@test/support/follow-up-factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

interface TermsVersion {
  version: number;
  effectiveFromYear: number;
  economics: { totalKr: number; contributions: Array<{ organisationId: string; amountKr: number }> } | null;
  reason: string | null;
  agreedBy: Array<{ organisationId: string; on: string }>;
}

interface View {
  state: string;
  economics: { totalKr: number; costLines: Array<{ label: string; amountKr: number }> };
  parties: Array<{ organisationId: string; contributionKr: number }>;
  termsVersions: TermsVersion[];
  pendingAmendment: { version: number; effectiveFromYear: number; agreements: Array<{ organisationId: string }> } | null;
}

interface Economics {
  years: Array<{ year: number; totalKr: number; termsVersion: number; perParty: Array<{ amountKr: number }> }>;
}

/**
 * An amendment (tillägg) to Bromodellen while it is in force: new economics from 2025, proposed by the
 * secretariat and agreed by every party's signatory; the years before stay as they were.
 */
describe('an amendment agreed by every party', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let id: string;
  let bildaMember: string;

  const view = async (): Promise<View> => (await t.as(p.secretariat.id).get(`/agreements/${id}`).expect(200)).body as View;
  const economics = async (): Promise<Economics> => (await t.as(p.bildaSignatory.id).get(`/agreements/${id}/economics`).expect(200)).body as Economics;
  const agree = (personId: string, organisationId: string) => t.as(personId).post(`/agreements/${id}/events`).send({ type: 'AGREE_TO_AMENDMENT', organisationId });

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-10-01T08:00:00Z' });
    p = await createBromodellenParties(t);
    bildaMember = (await createPerson(t, { name: 'Bo Medlem', email: 'bo@example.se', organisationId: p.bilda.id }, ['member'])).id;
    id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))]) {
      await sendEvent(t, p, id, body).expect(200);
    }
    t.clock.freeze('2024-06-03T08:00:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
  });
  afterAll(() => t.close());

  it('the signed terms are version 1, agreed by every signature', async () => {
    const v = await view();
    expect(v.state).toBe('active');
    expect(v.termsVersions.map((x) => [x.version, x.effectiveFromYear, x.economics?.totalKr, x.agreedBy.length])).toEqual([[1, 2024, 2368800, 3]]);
    expect(v.pendingAmendment).toBeNull();
  });

  it('takes effect from a coming calendar year only', async () => {
    const res = await t.as(p.secretariat.id).post(`/agreements/${id}/amendments`).send(amendmentBody(p, 2024)).expect(400);
    expect(res.body.problems).toEqual([{ field: 'effectiveFromYear', message: 'Ett tillägg gäller från ett kommande kalenderår, tidigast 2025.' }]);
    const unbalanced = await t.as(p.secretariat.id).post(`/agreements/${id}/amendments`).send(amendmentBody(p, 2025, { contributions: [{ organisationId: p.kommun.id, contributionKr: 2829600, shareBasisPoints: 10000 }] })).expect(400);
    expect(unbalanced.body.problems).toEqual([{ field: 'contributions', message: 'Bidrag saknas för Studieförbundet Bilda Sydöst, Erikshjälpen Linköping.' }]);
    await t.as(p.bildaSignatory.id).post(`/agreements/${id}/amendments`).send(amendmentBody(p, 2025)).expect(403);
  });

  it('can be refused by a party with a reason, or withdrawn by the secretariat with a reason', async () => {
    await t.as(p.secretariat.id).post(`/agreements/${id}/amendments`).send(amendmentBody(p, 2025, { reason: 'Nya lokaler från 2025.' })).expect(201);
    await t.as(p.ehSignatory.id).post(`/agreements/${id}/events`).send({ type: 'REFUSE_AMENDMENT', organisationId: p.erikshjalpen.id }).expect(400);
    await t.as(p.ehSignatory.id).post(`/agreements/${id}/events`).send({ type: 'REFUSE_AMENDMENT', organisationId: p.erikshjalpen.id, reason: 'Ryms inte i vår budget.' }).expect(200);
    expect((await view()).pendingAmendment).toBeNull();

    await t.as(p.secretariat.id).post(`/agreements/${id}/amendments`).send(amendmentBody(p, 2025, { reason: 'Nytt förslag.' })).expect(201);
    await t.as(p.bildaSignatory.id).post(`/agreements/${id}/events`).send({ type: 'WITHDRAW_AMENDMENT', reason: 'Vi drar tillbaka.' }).expect(403);
    await t.as(p.secretariat.id).post(`/agreements/${id}/events`).send({ type: 'WITHDRAW_AMENDMENT', reason: 'Frågan tas upp på nästa möte.' }).expect(200);
    const v = await view();
    expect(v.pendingAmendment).toBeNull();
    expect(v.termsVersions).toHaveLength(1);
  });

  it('is proposed by the secretariat and waits for every party, the terms unchanged meanwhile', async () => {
    const proposed = (await t.as(p.secretariat.id).post(`/agreements/${id}/amendments`).send(amendmentBody(p, 2025)).expect(201)).body as View;
    expect(proposed.pendingAmendment).toMatchObject({ version: 2, effectiveFromYear: 2025, agreements: [] });
    const offered = (await t.as(p.bildaSignatory.id).get(`/agreements/${id}/allowed-events`).expect(200)).body as { events: Array<{ type: string; organisationId?: string }> };
    expect(offered.events).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'AGREE_TO_AMENDMENT', organisationId: p.bilda.id })]));

    t.clock.freeze('2024-06-10T08:00:00Z');
    await agree(p.bildaSignatory.id, p.bilda.id).expect(200);
    expect((await view()).economics.totalKr).toBe(2368800);
    expect((await economics()).years.find((y) => y.year === 2025)?.totalKr).toBe(2416176);
  });

  it('is agreed once per party, and only by that party\'s signatory', async () => {
    const again = await agree(p.bildaSignatory.id, p.bilda.id).expect(409);
    expect(again.body.error).toBe('event_not_allowed');
    expect((await agree(bildaMember, p.bilda.id)).status).toBe(403);
    expect((await agree(p.secretariat.id, p.bilda.id)).status).toBe(403);
    expect((await agree(p.bildaSignatory.id, p.erikshjalpen.id)).status).toBe(403);
    expect((await view()).pendingAmendment?.agreements.map((a) => a.organisationId)).toEqual([p.bilda.id]);
  });

  it('changes the economics from 2025 on when the last party agrees; 2024 stays as it was', async () => {
    t.clock.freeze('2024-06-12T08:00:00Z');
    await agree(p.ehSignatory.id, p.erikshjalpen.id).expect(200);
    t.clock.freeze('2024-06-20T08:00:00Z');
    await agree(p.kommunSignatory.id, p.kommun.id).expect(200);

    const { years } = await economics();
    expect(years.map((y) => [y.year, y.termsVersion, y.totalKr])).toEqual([
      [2024, 1, 2368800],
      [2025, 2, 2829600],
      [2026, 2, 2886192],
      [2027, 2, 2943916],
      [2028, 2, 3002794],
      [2029, 2, 3062850],
    ]);
    expect(years[0].perParty.map((x) => x.amountKr)).toEqual([1658160, 592200, 118440]);
    expect(years[1].perParty.map((x) => x.amountKr)).toEqual([1980720, 707400, 141480]);

    const v = await view();
    expect(v.pendingAmendment).toBeNull();
    expect(v.economics.totalKr).toBe(2829600);
    expect(v.economics.costLines[0]).toEqual({ label: 'undervisning, handledning, uppföljning (4 tjänster)', amountKr: 2131200, organisationId: null });
    expect(v.parties.map((x) => x.contributionKr)).toEqual([1980720, 707400, 141480]);
  });

  it('keeps the earlier terms readable, and the history names who agreed', async () => {
    const v = await view();
    expect(v.termsVersions.map((x) => [x.version, x.effectiveFromYear, x.economics?.totalKr, x.reason])).toEqual([
      [1, 2024, 2368800, null],
      [2, 2025, 2829600, 'Bilda utökar med en fjärde tjänst.'],
    ]);
    expect(v.termsVersions[0].economics?.contributions.map((c) => c.amountKr)).toEqual([1658160, 592200, 118440]);
    expect(v.termsVersions[1].agreedBy).toEqual([
      { organisationId: p.bilda.id, on: '2024-06-10' },
      { organisationId: p.erikshjalpen.id, on: '2024-06-12' },
      { organisationId: p.kommun.id, on: '2024-06-20' },
    ]);
    const history = (await t.as(p.secretariat.id).get(`/agreements/${id}/history`).expect(200)).body as Array<{ eventType: string; actorName: string; actorRole: string; outcome: string; payload: Record<string, unknown> }>;
    const applied = (type: string) => history.filter((h) => h.eventType === type && h.outcome === 'applied');
    expect(applied('PROPOSE_AMENDMENT').map((h) => [h.actorName, h.payload.reason])).toEqual([
      ['Nämndsekreterare Nina', 'Nya lokaler från 2025.'],
      ['Nämndsekreterare Nina', 'Nytt förslag.'],
      ['Nämndsekreterare Nina', 'Bilda utökar med en fjärde tjänst.'],
    ]);
    expect(applied('REFUSE_AMENDMENT').map((h) => [h.actorName, h.payload.reason])).toEqual([['Erikshjälpen Firmatecknare', 'Ryms inte i vår budget.']]);
    expect(applied('AGREE_TO_AMENDMENT').map((h) => [h.actorName, h.actorRole])).toEqual([
      ['Bilda Firmatecknare', 'signatory'],
      ['Erikshjälpen Firmatecknare', 'signatory'],
      ['Mikaela Schullström', 'signatory'],
    ]);
    expect(history.filter((h) => h.eventType === 'AGREE_TO_AMENDMENT' && h.outcome === 'forbidden').length).toBeGreaterThan(0);
  });

  it('a further amendment must take effect after this one, and while the agreement is in force', async () => {
    const sameYear = await t.as(p.secretariat.id).post(`/agreements/${id}/amendments`).send(amendmentBody(p, 2025)).expect(400);
    expect(sameYear.body.problems).toEqual([{ field: 'effectiveFromYear', message: 'Villkoren har redan ändrats från 2025; ett nytt tillägg kan gälla tidigast från 2026.' }]);
    const afterEnd = await t.as(p.secretariat.id).post(`/agreements/${id}/amendments`).send(amendmentBody(p, 2026)).expect(400);
    expect(afterEnd.body.problems).toEqual([{ field: 'effectiveFromYear', message: 'Överenskommelsen gäller till och med 2025-12-31; ett tillägg kan inte börja gälla 2026.' }]);
  });
});
