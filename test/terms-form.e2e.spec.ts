/**
 * Issue 15, the terms form covers what the engine needs: follow-up duties, invoicing address, any
 * number of cost lines, signatories only among people who may sign (and enforced), shares that
 * match the amounts (or derived from them), every organisationsnummer's check digit, and Swedish
 * messages with the server's limits. Over the API and as the web form posts it.
 */
import { bromodellenBody, createBromodellenParties, createPerson, sendEvent, type BromodellenParties } from './support/factories';
import { HttpSession, withValues, type FormFields } from './web/support/http-session';
import { withPasswords } from './web/support/session';
import { startWebTestApp, type WebTestApp } from './web/support/web-app';

jest.setTimeout(60_000);

const NBSP = '\u00a0';

interface Problem {
  field: string;
  message: string;
}

describe('the terms of a draft', () => {
  let t: WebTestApp;
  let p: BromodellenParties;
  let bildaMember: { id: string };
  let noAccount: { id: string };
  let otherBildaSignatory: { id: string };

  beforeAll(async () => {
    t = await startWebTestApp('2023-10-01T08:00:00Z');
    p = await createBromodellenParties(t);
    bildaMember = await createPerson(t, { name: 'Bilda Medlem', email: 'medlem@example.se', organisationId: p.bilda.id }, ['member']);
    noAccount = await createPerson(t, { name: 'Utan Konto', email: 'utan@example.se', organisationId: p.bilda.id });
    otherBildaSignatory = await createPerson(t, { name: 'Bilda Annan Firmatecknare', email: 'annan@example.se', organisationId: p.bilda.id }, ['signatory']);
    await withPasswords(t, [[p.secretariat, ['secretariat']]]);
  });
  afterAll(() => t.close());

  async function draft(): Promise<string> {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    await sendEvent(t, p, id, { type: 'ACCEPT_INITIATIVE' }).expect(200);
    return id;
  }

  const terms = (overrides: Record<string, unknown> = {}) => {
    const { proposedByOrganisationId: _p, ...body } = bromodellenBody(p, overrides);
    return body;
  };
  const put = (id: string, body: Record<string, unknown>) => t.as(p.secretariat.id).put(`/agreements/${id}`).send(body);
  const problemsOf = (body: unknown): Problem[] => (body as { problems: Problem[] }).problems;

  /** The example: 700 000 / 200 000 / 100 000 kr. */
  const parties = (shares: Array<number | undefined>) =>
    [p.kommun.id, p.bilda.id, p.erikshjalpen.id].map((organisationId, i) => ({
      organisationId,
      contributionKr: [700_000, 200_000, 100_000][i],
      ...(shares[i] === undefined ? {} : { shareBasisPoints: shares[i] }),
    }));
  const economics = { costLines: [{ label: 'Lokaler', amountKr: 1_000_000 }], totalKr: 1_000_000, indexationBasisPoints: 200 };

  it('refuses shares that disagree with the amounts, 70,5 / 19,5 / 10 % against 700 000 / 200 000 / 100 000 kr, in Swedish', async () => {
    const id = await draft();
    const refused = await put(id, terms({ parties: parties([7050, 1950, 1000]), economics })).expect(400);
    expect(problemsOf(refused.body)).toEqual([
      { field: 'parties.0.shareBasisPoints', message: `Andelen 70,5${NBSP}% stämmer inte med bidraget: 700${NBSP}000${NBSP}kr av 1${NBSP}000${NBSP}000${NBSP}kr är 70${NBSP}%.` },
      { field: 'parties.1.shareBasisPoints', message: `Andelen 19,5${NBSP}% stämmer inte med bidraget: 200${NBSP}000${NBSP}kr av 1${NBSP}000${NBSP}000${NBSP}kr är 20${NBSP}%.` },
    ]);
    const unchanged = (await t.admin().get(`/agreements/${id}`).expect(200)).body as { parties: Array<{ shareBasisPoints: number }> };
    expect(unchanged.parties.map((x) => x.shareBasisPoints)).toEqual([7000, 2500, 500]);
  });

  it('derives the shares from the amounts when they are left out', async () => {
    const id = await draft();
    await put(id, terms({ parties: parties([undefined, undefined, undefined]), economics })).expect(200);
    const saved = (await t.admin().get(`/agreements/${id}`).expect(200)).body as { parties: Array<{ contributionKr: number; shareBasisPoints: number }> };
    expect(saved.parties.map((x) => [x.contributionKr, x.shareBasisPoints])).toEqual([
      [700_000, 7000],
      [200_000, 2000],
      [100_000, 1000],
    ]);
    // A share without an amount says what is missing.
    const refused = await put(id, terms({ parties: [{ organisationId: p.kommun.id, shareBasisPoints: 10_000 }, { organisationId: p.bilda.id }], economics: undefined })).expect(400);
    expect(problemsOf(refused.body)).toContainEqual({ field: 'parties.0.contributionKr', message: 'Ange partens bidrag i kronor: andelen räknas från bidragen.' });
  });

  it('checks the invoicing organisationsnummer\'s check digit, naming the field, and stores the dashed form', async () => {
    const id = await draft();
    const invoicing = (organisationNumber: string) => ({ ...bromodellenBody(p).invoicing, organisationNumber });
    const refused = await put(id, terms({ invoicing: invoicing('212000-0448') })).expect(400);
    expect(problemsOf(refused.body)).toEqual([{ field: 'invoicing.organisationNumber', message: 'invoicing.organisationNumber: organisationsnummer har fel kontrollsiffra' }]);
    expect(problemsOf((await put(id, terms({ invoicing: invoicing('811218-9876') })).expect(400)).body)[0]?.message).toContain('ett personnummer är inget organisationsnummer');
    // The PEPPOL-ID's organisationsnummer (scheme 0007) too.
    const peppol = await put(id, terms({ invoicing: { ...invoicing('212000-0449'), peppolId: '0007:2120000448' } })).expect(400);
    expect(problemsOf(peppol.body)).toEqual([{ field: 'invoicing.peppolId', message: 'invoicing.peppolId: efter 0007: organisationsnummer har fel kontrollsiffra' }]);
    // Bromodellen's invoicing number from seed 000, typed without the dash.
    await put(id, terms({ invoicing: { ...invoicing('2120000449'), address: 'Linköpings kommun\nSkanningcentralen 150Z\n581 81 LINKÖPING' } })).expect(200);
    const saved = (await t.admin().get(`/agreements/${id}`).expect(200)).body as { invoicing: { organisationNumber: string; address: string } };
    expect(saved.invoicing).toMatchObject({ organisationNumber: '212000-0449', address: 'Linköpings kommun\nSkanningcentralen 150Z\n581 81 LINKÖPING' });
  });

  it('answers a too long text in Swedish with the limit', async () => {
    const id = await draft();
    const refused = await put(id, terms({ title: 'x'.repeat(201), invoicing: { address: 'a'.repeat(501) } })).expect(400);
    expect(problemsOf(refused.body)).toEqual([
      { field: 'title', message: 'title får vara högst 200 tecken' },
      { field: 'invoicing.address', message: 'invoicing.address får vara högst 500 tecken' },
    ]);
  });

  it('refuses a firmatecknare who may not sign for the party, and a SIGN from anyone the terms do not name', async () => {
    const id = await draft();
    const refused = await put(id, terms({ signatoryIds: [p.kommunSignatory.id, bildaMember.id, noAccount.id, p.ehSignatory.id] })).expect(400);
    expect(problemsOf(refused.body)).toEqual([
      { field: 'signatoryIds.1', message: 'Bilda Medlem får inte teckna Studieförbundet Bilda Sydöst: bara personer med rollen firmatecknare kan väljas.' },
      { field: 'signatoryIds.2', message: 'Utan Konto får inte teckna Studieförbundet Bilda Sydöst: bara personer med rollen firmatecknare kan väljas.' },
    ]);
    // Named without Bilda's: nobody could sign for Bilda, so it is not sent for signing.
    await put(id, terms({ signatoryIds: [p.kommunSignatory.id, p.ehSignatory.id] })).expect(200);
    const unsendable = await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(400);
    expect(problemsOf(unsendable.body)).toEqual([
      { field: 'signatoryIds', message: 'Ingen firmatecknare är vald för Studieförbundet Bilda Sydöst: välj minst en under Ändra villkoren innan överenskommelsen skickas för signering.' },
    ]);
    // Someone without the right learns nothing of it.
    expect((await t.as(bildaMember.id).post(`/agreements/${id}/events`).send({ type: 'SEND_FOR_SIGNING' })).status).toBe(403);
    // Named for every party: sent; Bilda's member, another firmatecknare of Bilda and a named one of another party may not sign for Bilda.
    await put(id, terms({ signatoryIds: [p.kommunSignatory.id, p.bildaSignatory.id, p.ehSignatory.id] })).expect(200);
    await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);
    for (const who of [bildaMember.id, otherBildaSignatory.id, p.ehSignatory.id]) {
      expect((await t.as(who).post(`/agreements/${id}/events`).send({ type: 'SIGN', organisationId: p.bilda.id })).status).toBe(403);
    }
    await t.as(p.bildaSignatory.id).post(`/agreements/${id}/events`).send({ type: 'SIGN', organisationId: p.bilda.id }).expect(200);
  });

  describe('on the web form', () => {
    let web: HttpSession;
    beforeAll(async () => {
      web = await HttpSession.signIn(t, 'nina@example.se');
    });

    const path = (id: string) => `/overenskommelser/${id}/andra`;
    const fieldsOf = (form: FormFields, name: string) => form.filter(([n]) => n === name).map(([, v]) => v);

    it('offers only the people who may sign as firmatecknare, and puts the server\'s limits on the fields', async () => {
      const id = await draft();
      const page = (await web.get(path(id)).expect(200)).text;
      const signers = page.slice(page.indexOf('<legend>Firmatecknare'), page.indexOf('<legend>Samverkansgrupp'));
      for (const name of ['Mikaela Schullström', 'Bilda Firmatecknare', 'Erikshjälpen Firmatecknare']) expect(signers).toContain(name);
      expect(signers).toContain('Bilda Annan Firmatecknare');
      expect(signers).not.toContain('Bilda Medlem');
      expect(signers).not.toContain('Utan Konto');
      expect(page.slice(page.indexOf('<legend>Samverkansgrupp'))).toContain('Bilda Medlem');
      expect(page).toMatch(/name="title"[^>]* maxlength="200"/);
      expect(page).toMatch(/name="invoicing.address"[^>]* maxlength="500"/);
      expect(page).toMatch(/name="purpose"[^>]* maxlength="20000"/);
      // Spare rows without script, and the buttons the script shows.
      expect(page).toContain('name="economics.costLines.5.label"');
      expect(page).toMatch(/data-add-row hidden>Lägg till rad/);
      expect(page).not.toMatch(/<script>/);
    });

    it('saves any number of cost lines, the follow-up duties and the invoicing address, and shows the shares derived', async () => {
      const id = await draft();
      const form = await web.form(path(id));
      const costs: Record<string, string> = {};
      // Seven lines, one index skipped (a row removed in the page), more than the form had rows for.
      [0, 1, 2, 3, 5, 6, 7].forEach((i, n) => {
        costs[`economics.costLines.${i}.label`] = `Kostnad ${n + 1}`;
        costs[`economics.costLines.${i}.amountKr`] = '100 000';
      });
      const fields = withValues(
        form.filter(([n]) => !n.startsWith('economics.costLines.')),
        {
          ...costs,
          'economics.totalKr': '',
          'parties.0.contributionKr': '490 000',
          'parties.0.shareBasisPoints': '',
          'parties.1.contributionKr': '140 000',
          'parties.1.shareBasisPoints': '',
          'parties.2.contributionKr': '70 000',
          'parties.2.shareBasisPoints': '',
          'followUp.meetingsPerYear': '2',
          'followUp.yearlyReport.dueDay': '31',
          'followUp.yearlyReport.dueMonth': '3',
          'invoicing.address': 'Linköpings kommun\r\nSkanningcentralen 150Z\r\n581 81 LINKÖPING',
        },
      );
      const saved = await web.post(path(id), fields);
      expect([saved.status, saved.text.slice(0, 2000)]).toEqual([303, expect.anything()]);
      const view = (await t.admin().get(`/agreements/${id}`).expect(200)).body as {
        economics: { totalKr: number; costLines: Array<{ label: string }> };
        parties: Array<{ shareBasisPoints: number }>;
        followUp: { duties: unknown };
        invoicing: { address: string };
      };
      expect(view.economics.costLines.map((l) => l.label)).toEqual(['Kostnad 1', 'Kostnad 2', 'Kostnad 3', 'Kostnad 4', 'Kostnad 5', 'Kostnad 6', 'Kostnad 7']);
      expect(view.economics.totalKr).toBe(700_000);
      expect(view.parties.map((x) => x.shareBasisPoints)).toEqual([7000, 2000, 1000]);
      expect(view.followUp.duties).toEqual({ meetingsPerYear: 2, yearlyReport: { dueMonth: 3, dueDay: 31 } });
      expect(view.invoicing.address).toBe('Linköpings kommun\r\nSkanningcentralen 150Z\r\n581 81 LINKÖPING');
      // The form shows what was saved, with spare rows after the seven.
      expect((await web.get(path(id)).expect(200)).text).toContain(`Andelar enligt bidragen: <span>Linköpings kommun 70${NBSP}%, Studieförbundet Bilda Sydöst 20${NBSP}%, Erikshjälpen Linköping 10${NBSP}%</span>`);
      const again = await web.form(path(id));
      expect(fieldsOf(again, 'parties.0.shareBasisPoints')).toEqual(['70']);
      expect(fieldsOf(again, 'followUp.yearlyReport.dueMonth')).toEqual(['3']);
      expect(fieldsOf(again, 'economics.costLines.8.label')).toEqual(['']);
    });

    it('shows the refusals next to their fields, in Swedish', async () => {
      const id = await draft();
      const form = await web.form(path(id));
      const refused = await web.post(
        path(id),
        withValues(form, {
          title: 'x'.repeat(201),
          'invoicing.organisationNumber': '212000-0448',
          'parties.0.shareBasisPoints': '70,5',
          'parties.1.shareBasisPoints': '24,5',
          'followUp.yearlyReport.dueDay': '30',
          'followUp.yearlyReport.dueMonth': '2',
        }),
      );
      expect(refused.status).toBe(400);
      const page = refused.text;
      const errorOf = (id: string) => new RegExp(`id="${id}-fel"><span class="visually-hidden">Fel: </span>([^<]*)<`).exec(page)?.[1];
      expect(errorOf('f-title')).toBe('Namn på överenskommelsen får vara högst 200 tecken');
      expect(errorOf('f-invoicing-organisationNumber')).toBe('Organisationsnummer för fakturering: organisationsnummer har fel kontrollsiffra');
      // The form's shape first: the share check comes once the rest is valid.
      const shapeFixed = await web.post(path(id), withValues(form, { 'parties.0.shareBasisPoints': '70,5', 'parties.1.shareBasisPoints': '24,5', 'followUp.yearlyReport.dueDay': '30', 'followUp.yearlyReport.dueMonth': '2' }));
      expect(shapeFixed.status).toBe(400);
      const second = shapeFixed.text;
      const errorIn = (id: string) => new RegExp(`id="${id}-fel"><span class="visually-hidden">Fel: </span>([^<]*)<`).exec(second)?.[1];
      expect(errorIn('f-parties-0-shareBasisPoints')).toBe(`Andelen 70,5${NBSP}% stämmer inte med bidraget: 1${NBSP}658${NBSP}160${NBSP}kr av 2${NBSP}368${NBSP}800${NBSP}kr är 70${NBSP}%.`);
      expect(errorIn('f-followUp-yearlyReport-dueDay')).toBe('Dagen för årsrapporten finns inte i den månaden (29 februari går inte).');
      expect(second).not.toMatch(/must be|should not/);
      // A day without its month names the month.
      const noMonth = await web.post(path(id), withValues(form, { 'followUp.yearlyReport.dueDay': '31', 'followUp.yearlyReport.dueMonth': '' }));
      expect(noMonth.status).toBe(400);
      expect(noMonth.text).toContain('Månad ska anges (1–12)');
    });
  });
});
