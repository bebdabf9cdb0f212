/**
 * Changing the förslag till beslut of a funding decision in preparation, in a real browser (Debian's
 * Chromium through playwright-core): the secretariat opens the case, follows "Ändra förslaget",
 * gets the new form filled in with the proposal as it is, is told about an invalid amount next to
 * its field, and saves a new amount and a follow-up at another meeting (UPDATE_PROPOSAL), which the
 * case page and the case's history show. A stale form, a second submit of the same form, those who
 * may not change it and a case no longer in preparation are checked over HTTP. axe-core checks
 * every page against WCAG 2.1 A and AA.
 */
import type { Page } from 'playwright-core';
import { meetingPlan2018 } from '@workflows/funding-decision/__fixtures__/seed-004';
import { createPerson } from '@test/support/factories';
import { screenshot } from './support/browser';
import { HttpSession, withValues } from './support/http-session';
import { BrowserSession, withPasswords } from './support/session';
import { startWebTestApp, type WebTestApp } from './support/web-app';

jest.setTimeout(120_000);

const TITLE = 'Arbetsmarknadsinriktade insatser i samarbete med Idrott & Service (LeanLink)';

interface HistoryEvent {
  eventType: string;
  outcome: string;
  actorName: string;
  payload: { proposal?: { amountKr: number; officials: Array<{ personId: string | null; name: string }>; followUps: Array<{ key: string; kind: string; meeting: { meetingId: string } }> } };
}

describe('changing the proposal of a funding decision in the web interface', () => {
  let t: WebTestApp;
  const session = new BrowserSession(() => t);
  let page: Page;
  let people: { nina: string; anne: string; rut: string; leanlink: string };
  let id: string;
  let caseUrl: string;
  let formUrl: string;

  const history = async (): Promise<HistoryEvent[]> => (await t.as(people.nina).get(`/cases/funding_decision/${id}/history`).expect(200)).body as HistoryEvent[];
  const updates = async (): Promise<HistoryEvent[]> => (await history()).filter((e) => e.eventType === 'UPDATE_PROPOSAL' && e.outcome === 'applied');
  const current = async (): Promise<{ rowVersion: number; amountKr: number; state: string }> => (await t.as(people.nina).get(`/funding-decisions/${id}`).expect(200)).body;

  beforeAll(async () => {
    t = await startWebTestApp('2018-05-20T08:00:00Z');
    const org = async (name: string, organisationNumber: string, kind: string) => (await t.admin().post('/organisations').send({ name, organisationNumber, kind }).expect(201)).body.id as string;
    const kommun = await org('Linköpings kommun', '212000-0449', 'municipality');
    const leanlink = await org('Idrott & Service (Leanlink)', '212000-0506', 'municipality');
    const bilda = await org('Studieförbundet Bilda Sydöst', '817602-0520', 'civil_society');
    const nina = await createPerson(t, { name: 'Nämndsekreterare Nina', email: 'nina@example.se', organisationId: kommun }, ['secretariat']);
    const anne = await createPerson(t, { name: 'Anne Hallberg', email: 'anne.hallberg@example.se', organisationId: kommun }, ['member']);
    const rut = await createPerson(t, { name: 'Revisor Rut', email: 'rut@example.se', organisationId: kommun }, ['auditor']);
    const outsider = await createPerson(t, { name: 'Bilda Firmatecknare', email: 'bilda@example.se', organisationId: bilda }, ['signatory']);
    await withPasswords(t, [
      [nina, ['secretariat']],
      [anne, ['member']],
      [rut, ['auditor']],
      [outsider, ['signatory']],
    ]);
    people = { nina: nina.id, anne: anne.id, rut: rut.id, leanlink };
    for (const m of meetingPlan2018()) {
      await t.as(nina.id).post('/meetings').send({ meetingId: m.meetingId, committee: m.committee, date: m.date, papersDueOn: m.papersDueOn }).expect(201);
    }
    t.clock.freeze('2018-06-01T08:00:00Z');
    const created = await t
      .as(nina.id)
      .post('/funding-decisions')
      .send({
        committee: 'Bildningsnämnden',
        title: TITLE,
        preparedBy: 'Utbildningsförvaltningen',
        proposal: {
          summary: 'Bildningsnämnden beviljar medel till genomförande av arbetsmarknadsinriktade insatser i samarbete med Idrott & Service.',
          amountKr: 530_000,
          budgetLine: 'Arbetsmarknadsinsatser',
          partner: { organisationId: leanlink },
          period: { startDate: '2018-06-01', endDate: '2018-12-31' },
          // One official without an account, as the API allows: the form must keep her.
          officials: [{ personId: anne.id, name: 'Anne Hallberg' }, { name: 'Extern projektledare' }],
          recipients: [{ name: 'Leanlink – Stöd och Service', email: 'leanlink@example.se' }, { name: 'Arbetsförmedlingen' }],
          followUps: [
            { key: 'muntlig-avstamning-september', kind: 'oral_check_in', meetingId: 'bin-2018-09' },
            { key: 'skriftlig-utvardering-december', kind: 'written_evaluation', meetingId: 'bin-2018-12' },
          ],
        },
      })
      .expect(201);
    id = created.body.id as string;
    caseUrl = `/beslut-om-medel/${id}`;
    formUrl = `${caseUrl}/forslag`;
    await session.open();
    page = session.page;
  });

  afterAll(async () => {
    await session.close();
    await t?.close();
  });

  it('lets the secretariat change the amount and a follow-up meeting through the form, after an invalid amount is named next to its field', async () => {
    await session.signIn('nina@example.se');
    await page.goto(`${t.baseUrl}${caseUrl}`);
    await session.accessible(caseUrl);
    const edit = page.getByRole('link', { name: /^Ändra förslaget/ });
    expect(await edit.getAttribute('href')).toBe(formUrl);
    expect(await edit.getAttribute('class')).toBe('button button-secondary');
    // Keyboard: the link is reached and followed like any other.
    await edit.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === formUrl);
    expect(await page.locator('h1').innerText()).toBe('Ändra förslaget till beslut');
    expect(await page.locator('dl.facts').innerText()).toContain(TITLE);
    // The new form's fields, filled in with the proposal as it is.
    expect((await page.getByLabel('Belopp (kr)').inputValue()).replace(/\s/g, '')).toBe('530000');
    expect(await page.getByLabel('Budgetpost').inputValue()).toBe('Arbetsmarknadsinsatser');
    expect(await page.getByLabel('Organisation som tar emot medlen').inputValue()).toBe(people.leanlink);
    expect(await page.getByLabel('Från och med').inputValue()).toBe('2018-06-01');
    expect(await page.getByLabel('Anne Hallberg, Linköpings kommun').isChecked()).toBe(true);
    expect(await page.getByLabel('Extern projektledare (utan konto i systemet)').isChecked()).toBe(true);
    expect(await page.locator('#f-proposal-recipients-1-name').inputValue()).toBe('Arbetsförmedlingen');
    expect(await page.locator('#f-proposal-followUps-0-kind').inputValue()).toBe('oral_check_in');
    expect(await page.locator('#f-proposal-followUps-0-meetingId').inputValue()).toBe('bin-2018-09');
    expect(await page.locator('#f-proposal-followUps-1-meetingId').inputValue()).toBe('bin-2018-12');
    await session.accessible(formUrl);
    await screenshot(page, 'beslut-om-medel-andra');

    await page.getByLabel('Belopp (kr)').fill('sexhundratusen');
    await page.locator('#f-proposal-followUps-0-meetingId').selectOption('bin-2018-10');
    const [invalid] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === formUrl), page.getByRole('button', { name: 'Spara ändringarna' }).click()]);
    expect(invalid.status()).toBe(400);
    await page.waitForLoadState('load');
    expect(await page.locator('.error-summary').count()).toBe(1);
    expect(await page.locator('#f-proposal-amountKr-fel').innerText()).toMatch(/Belopp/);
    // What was typed is kept, the rest of the change too.
    expect(await page.getByLabel('Belopp (kr)').inputValue()).toBe('sexhundratusen');
    expect(await page.locator('#f-proposal-followUps-0-meetingId').inputValue()).toBe('bin-2018-10');
    await session.accessible(`${formUrl} (fel)`);
    expect(await updates()).toHaveLength(0);

    await page.getByLabel('Belopp (kr)').fill('600 000');
    await page.getByRole('button', { name: 'Spara ändringarna' }).click();
    await page.waitForURL(/\?utfort=UPDATE_PROPOSAL$/);
    expect(new URL(page.url()).pathname).toBe(caseUrl);
    expect(await page.locator('.flash').first().innerText()).toContain('Förslaget till beslut ändrat');
    expect(await page.locator('.lead').first().innerText()).toMatch(/Förslag till beslut[\s\S]*600\s000\skr/);
    expect(await page.locator('section[aria-labelledby=rubrik-forslag]').innerText()).toMatch(/Belopp\s+600\s000\skr/);
    expect(await page.locator('section[aria-labelledby=rubrik-uppfoljning]').innerText()).toMatch(/Muntlig avstämning\s+2018-10-23\s+2018-10-09\s+Planerad/);
    expect(await page.locator('section[aria-labelledby=rubrik-uppfoljning]').innerText()).not.toContain('2018-09-25');
    expect(await page.locator('.timeline').innerText()).toContain('Ändra förslaget till beslut');
    await session.accessible(`${caseUrl} (ändrat)`);

    const [update] = await updates();
    expect(update?.actorName).toBe('Nämndsekreterare Nina');
    expect(update?.payload.proposal?.amountKr).toBe(600_000);
    expect(update?.payload.proposal?.followUps.map((f) => [f.kind, f.meeting.meetingId])).toEqual([
      ['oral_check_in', 'bin-2018-10'],
      ['written_evaluation', 'bin-2018-12'],
    ]);
    expect(update?.payload.proposal?.officials.map((o) => [o.personId, o.name])).toEqual([
      [people.anne, 'Anne Hallberg'],
      [null, 'Extern projektledare'],
    ]);
  });

  it('answers a second submit of the same form with the case, and a stale form with a Swedish message and the proposal as it now is', async () => {
    const nina = await HttpSession.signIn(t, 'nina@example.se');
    const fields = withValues(await nina.form(formUrl), { 'proposal.amountKr': '610 000' });
    const first = await nina.post(formUrl, fields).expect(303);
    expect(first.headers.location).toBe(`${caseUrl}?utfort=UPDATE_PROPOSAL`);
    const again = await nina.post(formUrl, fields).expect(303);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await updates()).toHaveLength(2);
    expect((await current()).amountKr).toBe(610_000);

    // A form read before someone else's change: nothing is saved, the form shows what now holds.
    const stale = withValues(await nina.form(formUrl), { 'proposal.amountKr': '620 000' });
    await nina.post(formUrl, withValues(await nina.form(formUrl), { 'proposal.amountKr': '615 000' })).expect(303);
    const refused = await nina.post(formUrl, stale).expect(409);
    expect(refused.text).toContain('Förslaget har ändrats sedan du öppnade formuläret, så dina ändringar sparades inte.');
    expect(refused.text).toMatch(/name="proposal\.amountKr"[^>]*value="615\s000"/);
    expect(refused.text).toContain(`name="expectedVersion" value="${(await current()).rowVersion}"`);
    expect((await current()).amountKr).toBe(615_000);
  });

  it('lets the official responsible change it too, and refuses those who may not: 403 for the auditor, 404 for an outsider, before any validation', async () => {
    const anne = await HttpSession.signIn(t, 'anne.hallberg@example.se');
    expect((await anne.get(caseUrl).expect(200)).text).toContain(`href="${formUrl}"`);
    await anne.post(formUrl, withValues(await anne.form(formUrl), { 'proposal.budgetLine': 'Arbetsmarknadsinsatser 2018' })).expect(303);
    expect((await updates()).at(-1)?.actorName).toBe('Anne Hallberg');

    const before = (await updates()).length;
    const fields = withValues(await anne.form(formUrl), { 'proposal.amountKr': '1' });
    const rut = await HttpSession.signIn(t, 'rut@example.se');
    const page403 = (await rut.get(caseUrl).expect(200)).text;
    expect(page403).not.toContain(`href="${formUrl}"`);
    expect((await rut.get(formUrl).expect(403)).text).toContain('Du har inte behörighet till den här sidan');
    expect((await rut.post(formUrl, fields).expect(403)).text).toContain('Bara nämndkansliet eller en ansvarig handläggare för ärendet får göra detta.');
    // Those who may not learn nothing from validation either.
    await rut.post(formUrl, withValues(fields, { 'proposal.amountKr': 'inte ett belopp' })).expect(403);
    const outsider = await HttpSession.signIn(t, 'bilda@example.se');
    expect((await outsider.get(formUrl).expect(404)).text).toContain('Sidan finns inte');
    await outsider.post(formUrl, fields).expect(404);
    expect(await updates()).toHaveLength(before);
    expect((await history()).some((e) => e.eventType === 'UPDATE_PROPOSAL' && e.outcome !== 'applied' && e.actorName === 'Revisor Rut')).toBe(true);

    await session.signIn('rut@example.se');
    await page.goto(`${t.baseUrl}${formUrl}`);
    expect(await page.locator('h1').innerText()).toBe('Du har inte behörighet till den här sidan');
    await session.accessible(`${formUrl} (403)`);
  });

  it('offers no change once the case is on an agenda, and says why', async () => {
    await t.as(people.nina).post(`/funding-decisions/${id}/events`).send({ type: 'PLACE_ON_AGENDA', meetingId: 'bin-2018-06' }).expect(200);
    const nina = await HttpSession.signIn(t, 'nina@example.se');
    expect((await nina.get(caseUrl).expect(200)).text).not.toContain(`href="${formUrl}"`);
    expect((await nina.get(formUrl).expect(409)).text).toContain('Förslaget kan bara ändras medan ärendet bereds. Ärendet är nu: På dagordningen.');
  });

  it('found nothing with axe on any page', () => {
    expect(session.violations()).toEqual([]);
  });
});
