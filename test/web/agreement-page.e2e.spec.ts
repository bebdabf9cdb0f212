/**
 * Issue 15, the agreement page in Chromium with axe on every page: the key dates with what each is
 * for (Bromodellen: 2024-01-01–2025-12-31, two extensions of two years, decided three months before
 * the end), the texts' line breaks, the expected next step first for each role, termination behind
 * a page that says what happens, the reminder policy changed on the web, the history in Swedish and
 * Stockholm time with what a terms edit changed, the CSV for Excel, and Back-and-sign-again.
 */
import type { Page } from 'playwright-core';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { bromodellenBody, createBromodellenParties, sendEvent, type BromodellenParties } from '@test/support/factories';
import { screenshot } from './support/browser';
import { BrowserSession, signedBromodellen, withPasswords } from './support/session';
import { startWebTestApp, type WebTestApp } from './support/web-app';

jest.setTimeout(90_000);

const PURPOSE = 'Stärka individer långt från arbetsmarknaden.\nAtt närma sig egenförsörjning.\n\nAndra stycket: <b>inte fetstil</b>.';
const FOLLOW_UP = { meetingsPerYear: 1, yearlyReport: { dueMonth: 3, dueDay: 31 } };

describe('the agreement page', () => {
  let t: WebTestApp;
  let p: BromodellenParties;
  const session = new BrowserSession(() => t);
  let page: Page;
  let id: string;
  let terminated: string;

  const open = async (path: string, label: string): Promise<void> => {
    const res = await page.goto(`${t.baseUrl}${path}`);
    expect(res?.status()).toBeLessThan(400);
    await session.accessible(label);
  };
  const firstAction = (): Promise<string> => page.locator('.actions .action-card h3').first().innerText();
  const agreementPath = (x = id): string => `/overenskommelser/${x}`;

  beforeAll(async () => {
    t = await startWebTestApp('2023-10-01T08:00:00Z');
    p = await createBromodellenParties(t);
    await withPasswords(t, [
      [p.secretariat, ['secretariat']],
      [p.kommunSignatory, ['signatory']],
      [p.bildaSignatory, ['signatory', 'member']],
      [p.ehSignatory, ['signatory', 'member']],
    ]);
    // Proposed with the follow-up duties and a purpose in two paragraphs; taken up; the secretariat edits the terms once.
    id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { purpose: PURPOSE, followUp: FOLLOW_UP })).expect(201)).body.id as string;
    await sendEvent(t, p, id, { type: 'ACCEPT_INITIATIVE' }).expect(200);
    const { proposedByOrganisationId: _p, ...terms } = bromodellenBody(p, { purpose: PURPOSE, followUp: FOLLOW_UP });
    await t.as(p.secretariat.id).put(`/agreements/${id}`).send({ ...terms, economics: { ...terms.economics, indexationBasisPoints: 250 } }).expect(200);
    terminated = await signedBromodellen(t, p, { title: 'Bromodellen 2', diarienummer: 'AN 2023-0043' });
    await session.open();
    page = session.page;
  });

  afterAll(async () => {
    await session.close();
    await t?.close();
  });

  it('puts "Skicka för signering" first for the secretariat on a complete draft', async () => {
    await session.signIn('nina@example.se');
    await open(agreementPath(), 'utkast (nämndkansliet)');
    expect(await firstAction()).toBe('Skicka för signering');
    expect((await page.locator('.action-next .button, .action-next button').first().getAttribute('class')) ?? '').not.toMatch(/secondary|warning/);
    await page.locator('.action-next').getByRole('button', { name: 'Skicka för signering' }).click();
    await page.waitForURL(/utfort=SEND_FOR_SIGNING/);
    expect(await page.locator('h1 + .lead').innerText()).toContain('Under signering');
  });

  it('puts "Signera" first for a signatory; Back and signing again says the signature is already recorded', async () => {
    await session.signIn('bilda@example.se');
    await open(agreementPath(), 'under signering (firmatecknare)');
    expect(await firstAction()).toBe('Signera');
    await page.locator('.action-next').getByRole('link', { name: /^Signera/ }).click();
    await page.waitForURL(/\/handelser\/SIGN$/);
    await session.accessible('signera');
    await page.getByRole('button', { name: 'Signera' }).click();
    await page.waitForURL(/utfort=SIGN/);
    expect(await page.locator('.flash').innerText()).toContain('Klart, och sparat i historiken: Signera');
    await page.goBack();
    await page.waitForLoadState('load');
    const again = page.getByRole('button', { name: 'Signera' });
    if ((await again.count()) > 0) await again.click();
    await page.waitForURL(/redan=SIGN/);
    expect(await page.locator('.flash').innerText()).toBe('Er underskrift är redan registrerad. Du behöver inte signera igen.');
    expect(await page.locator('.flash').getAttribute('class')).toContain('flash-success');
    // The same again by a direct post of the old form: no error page either.
    const res = await page.request.post(`${t.baseUrl}${agreementPath()}/handelser`, { form: { type: 'SIGN', organisationId: p.bilda.id, expectedVersion: '1' }, headers: { Origin: t.baseUrl }, maxRedirects: 0 });
    expect(res.status()).toBe(303);
    expect(res.headers().location).toBe(`${agreementPath()}?redan=SIGN`);
  });

  it('shows the key dates with what each is for, and the texts with their line breaks', async () => {
    for (const o of [p.kommun, p.erikshjalpen]) await sendEvent(t, p, id, { type: 'SIGN', organisationId: o.id }).expect(200);
    t.clock.freeze('2024-06-01T08:00:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
    await session.signIn('nina@example.se');
    await open(agreementPath(), 'gällande (nämndkansliet)');
    const dates = await page.locator('.key-dates').innerText();
    expect(dates).toContain('Startdatum\n2024-01-01, gäller från och med');
    expect(dates).toContain('Slutdatum\n2025-12-31, gäller till och med');
    expect(dates).toMatch(/Beslut om förlängning senast 2025-09-30 \(förlängning 1 av högst 2, 2 år i taget; beslutet kan fattas från och med 2025-03-31\)/);
    expect(dates).toContain('Kan som längst gälla till\n2029-12-31, om båda återstående förlängningarna används (0 av 2 förlängningar använda)');
    expect(dates).toContain('Samverkansgruppens uppföljningsmöte för 2024 senast 2024-12-31');
    expect(dates).toContain('Skriftlig årsrapport till nämnden för 2024 senast 2025-03-31');
    expect(dates).toMatch(/Nästa datum\n2024-12-31, sista dag för årets uppföljningsmöte/);
    const purpose = page.locator('dt:text-is("Syfte") + dd');
    expect(await purpose.locator('p').count()).toBe(2);
    expect(await purpose.locator('br').count()).toBe(1);
    expect(await purpose.innerText()).toContain('Andra stycket: <b>inte fetstil</b>.');
    expect(await purpose.locator('b').count()).toBe(0);
    await screenshot(page, 'overenskommelse');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    const wide = await page.evaluate<string[]>(`[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 391 && !e.closest('.table-scroll')).slice(0, 8).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`);
    expect(wide).toEqual([]);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await session.accessible('gällande (390 px)');
    await screenshot(page, 'overenskommelse-390');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('keeps termination apart for a signatory: never first, never green, behind its own page', async () => {
    await session.signIn('bilda@example.se');
    await open(agreementPath(), 'gällande (firmatecknare)');
    expect(await page.locator('.actions').innerText()).not.toMatch(/hävning/i);
    const zone = page.locator('.danger-zone');
    expect(await zone.locator('h2').innerText()).toBe('Häva överenskommelsen');
    const link = zone.getByRole('link', { name: /Samtyck till hävning/ });
    expect(await link.getAttribute('class')).toBe('button button-secondary');
  });

  it('says what a termination does before it is posted, then terminates', async () => {
    await session.signIn('nina@example.se');
    await open(agreementPath(terminated), 'signerad (nämndkansliet)');
    expect(await firstAction()).not.toMatch(/Häv/);
    await page.locator('.danger-zone').getByRole('link', { name: /Häv överenskommelsen/ }).click();
    await page.waitForURL(/\/handelser\/DECLARE_TERMINATION$/);
    await session.accessible('häv (bekräftelse)');
    const what = await page.locator('.danger-zone').innerText();
    expect(what).toContain('Överenskommelsen blir hävd från och med i dag, 2024-06-01');
    expect(what).toContain('Hävd – ekonomisk reglering återstår');
    expect(what).toContain('Den gäller inte längre till och med 2025-12-31 och kan inte förlängas till 2029-12-31.');
    expect(what).toContain('sparas i historiken');
    expect(what).toContain('En hävning kan inte ångras.');
    expect(await t.as(p.secretariat.id).get(`/agreements/${terminated}`).then((r) => r.body.state)).toBe('active');
    await page.getByLabel('Grund för hävningen').selectOption('insolvency');
    await page.getByLabel('Skäl').fill('Erikshjälpen har försatts i konkurs.');
    await page.getByRole('button', { name: 'Ja, häv överenskommelsen' }).click();
    await page.waitForURL(/utfort=DECLARE_TERMINATION/);
    expect(await page.locator('h1 + .lead').innerText()).toContain('Hävd');
  });

  it('lets the secretariat change when reminders go out, and refuses what it cannot read at the field', async () => {
    await session.signIn('nina@example.se');
    await open(agreementPath(), 'påminnelser (överenskommelsen)');
    await page.getByRole('link', { name: /Ändra påminnelserna/ }).click();
    await page.waitForURL(/\/paminnelser$/);
    await session.accessible('påminnelser (formulär)');
    const field = page.getByLabel(/^Före sista dag för beslut om förlängning/);
    await field.fill('två veckor');
    await page.getByRole('button', { name: 'Spara påminnelserna' }).click();
    await session.accessible('påminnelser (fel)');
    expect(await page.locator('.error-summary').innerText()).toContain('skriv till exempel');
    await page.getByLabel(/^Före sista dag för beslut om förlängning/).fill('2 månader, på dagen');
    await page.getByRole('button', { name: 'Spara påminnelserna' }).click();
    await page.waitForURL(/utfort=SET_REMINDER_POLICY/);
    expect(await page.locator('.flash').innerText()).toContain('Påminnelser ändrade');
    expect(await page.locator('section[aria-labelledby="rubrik-paminnelsepolicy"]').innerText()).toMatch(/2 månader, på dagen Ändrad för den här överenskommelsen/);
    // Back from the result lands on the form again (its own address), not on a resubmission or the earlier error.
    await page.goBack();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe(`${agreementPath()}/paminnelser`);
    expect(await page.locator('h1').innerText()).toBe('När påminnelser skickas');
    expect(await page.locator('.error-summary').count()).toBe(0);
    const planned = await t.dataSource.query<Array<{ key: string }>>(`SELECT reminder_key AS key FROM case_reminder WHERE case_id = $1 AND decided_at IS NULL AND reminder_key LIKE 'decision_upcoming%' ORDER BY send_at`, [id]);
    expect(planned.map((r) => r.key)).toEqual(['decision_upcoming:2m', 'decision_upcoming:0d']);
    // A signatory sees the policy but may not change it.
    await session.signIn('bilda@example.se');
    await open(agreementPath(), 'påminnelser (firmatecknare)');
    expect(await page.getByRole('link', { name: /Ändra påminnelserna/ }).count()).toBe(0);
    expect((await page.goto(`${t.baseUrl}${agreementPath()}/paminnelser`))?.status()).toBe(403);
  });

  it('tells the history in Swedish and Stockholm time, with what the terms edit changed', async () => {
    await session.signIn('nina@example.se');
    await open(agreementPath(), 'historik');
    const history = page.locator('.timeline');
    const text = await history.innerText();
    expect(text).not.toMatch(/\b(signatory|secretariat|UPDATE_TERMS|SIGN|SET_REMINDER_POLICY)\b/);
    expect(text).toContain('2023-10-01 10:00 – Ändra villkor\nNämndsekreterare Nina (nämndkansliet, Linköpings kommun)');
    expect(text).toMatch(/Signera\nBilda Firmatecknare \(firmatecknare, Studieförbundet Bilda Sydöst\)/);
    expect(text).toContain('Påminnelser ändrade');
    const edit = history.locator('li', { hasText: 'Ändra villkor' }).locator('table.changes tbody tr');
    expect(await edit.count()).toBe(1);
    expect((await edit.innerText()).replace(/\u00a0/g, ' ')).toBe('Uppräkning per år\t2 %\t2,5 %');

    const download = await page.evaluate<{ bytes: number[]; disposition: string; type: string }>(`fetch('${agreementPath()}/historik.csv').then(async (r) => ({ bytes: [...new Uint8Array(await r.arrayBuffer())], disposition: r.headers.get('content-disposition'), type: r.headers.get('content-type') }))`);
    expect(download.bytes.slice(0, 3)).toEqual([0xef, 0xbb, 0xbf]);
    expect(download.type).toBe('text/csv; charset=utf-8');
    expect(download.disposition).toBe(`attachment; filename="historik-AN-2023-0042-Bromodellen.csv"; filename*=UTF-8''historik%20AN%202023-0042%20Bromodellen.csv`);
    const csv = Buffer.from(download.bytes.slice(3)).toString('utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('Löpnummer;Tidpunkt (svensk tid);Person;Roll;Organisation;Händelse;Från;Till;Utfall;Skäl;Ändrade villkor;Data;Föregående hash;Hash');
    expect(lines[1]).toMatch(/^1;2023-10-01 10:00;Bilda Firmatecknare;firmatecknare;Studieförbundet Bilda Sydöst;Initiativ registrerat;;Initiativ;utförd;;;/);
    expect(csv.replace(/\u00a0/g, ' ')).toMatch(/;2023-10-01 10:00;Nämndsekreterare Nina;nämndkansliet;Linköpings kommun;Ändra villkor;Utkast;Utkast;utförd;;"Uppräkning per år: 2 % → 2,5 %";/);
    expect(csv).not.toMatch(/;(signatory|UPDATE_TERMS);/);
  });

  it('shows the renewed agreement\'s new end and its second decision, with one extension left', async () => {
    const renewed = await signedBromodellen(t, p, { title: 'Bromodellen 3', diarienummer: 'AN 2023-0044' });
    t.clock.freeze('2025-06-02T07:30:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
    for (const o of [p.kommun, p.bilda, p.erikshjalpen]) await sendEvent(t, p, renewed, { type: 'CONSENT_TO_EXTENSION', organisationId: o.id }).expect(200);
    await session.signIn('nina@example.se');
    await open(agreementPath(renewed), 'förlängd (nämndkansliet)');
    const dates = await page.locator('.key-dates').innerText();
    expect(dates).toContain('Slutdatum\n2027-12-31, gäller till och med');
    expect(dates).toContain('Beslut om förlängning senast 2027-09-30 (förlängning 2 av högst 2, 2 år i taget; beslutet kan fattas från och med 2027-03-31)');
    expect(dates).toContain('Kan som längst gälla till\n2029-12-31, om den återstående förlängningen används (1 av 2 förlängningar använda)');
  });

  it('found no accessibility violation on any page', () => {
    expect(session.checked.size).toBeGreaterThanOrEqual(10);
    expect(session.violations()).toEqual([]);
  });
});
