/**
 * Seed 004 in a real browser (Debian's Chromium through playwright-core): the secretariat registers
 * bildningsnämnden's förslag till beslut through the form, puts it on the June meeting's agenda,
 * records the decision after the meeting, finds its follow-up on Bevakning and moves the September
 * meeting on the sammanträdesplan, which moves the case's date. The official responsible reads the
 * case; an outsider gets the Swedish 404 page. axe-core checks every page against WCAG 2.1 A and AA.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { meetingPlan2018 } from '@workflows/funding-decision/__fixtures__/seed-004';
import { createPerson } from '@test/support/factories';
import { BrowserSession, withPasswords } from './support/session';
import { startWebTestApp, type WebTestApp } from './support/web-app';

jest.setTimeout(120_000);

const SCREENS = '/tmp/screens-funding';
const TITLE = 'Arbetsmarknadsinriktade insatser i samarbete med Idrott & Service (LeanLink)';

describe('funding decisions and the sammanträdesplan in the web interface', () => {
  let t: WebTestApp;
  const session = new BrowserSession(() => t);
  let page: Page;
  let caseUrl: string;

  const shot = async (name: string): Promise<void> => {
    mkdirSync(SCREENS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
  };
  async function visit(p: string, expected = 200): Promise<void> {
    const response = await page.goto(`${t.baseUrl}${p}`);
    expect(response?.status()).toBe(expected);
    await session.accessible(p);
  }
  const flash = (): Promise<string> => page.locator('.flash').first().innerText();

  beforeAll(async () => {
    t = await startWebTestApp('2018-05-20T08:00:00Z');
    const org = async (name: string, organisationNumber: string, kind: string) => (await t.admin().post('/organisations').send({ name, organisationNumber, kind }).expect(201)).body.id as string;
    const kommun = await org('Linköpings kommun', '212000-0449', 'municipality');
    await org('Idrott & Service (Leanlink)', '212000-0506', 'municipality');
    const bilda = await org('Studieförbundet Bilda Sydöst', '817602-0520', 'civil_society');
    const nina = await createPerson(t, { name: 'Nämndsekreterare Nina', email: 'nina@example.se', organisationId: kommun }, ['secretariat']);
    const anne = await createPerson(t, { name: 'Anne Hallberg', email: 'anne.hallberg@example.se', organisationId: kommun }, ['member']);
    const outsider = await createPerson(t, { name: 'Bilda Firmatecknare', email: 'bilda@example.se', organisationId: bilda }, ['signatory']);
    await withPasswords(t, [
      [nina, ['secretariat']],
      [anne, ['member']],
      [outsider, ['signatory']],
    ]);
    for (const m of meetingPlan2018()) {
      await t.as(nina.id).post('/meetings').send({ meetingId: m.meetingId, committee: m.committee, date: m.date, papersDueOn: m.papersDueOn }).expect(201);
    }
    t.clock.freeze('2018-06-01T08:00:00Z');
    await session.open();
    page = session.page;
  });

  afterAll(async () => {
    await session.close();
    await t?.close();
  });

  it('lets the secretariat register seed 004 through the form, with Swedish errors next to the fields first', async () => {
    await session.signIn('nina@example.se');
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Beslut om medel' }).click();
    await page.waitForURL(/\/beslut-om-medel$/);
    await session.accessible('/beslut-om-medel (tom)');
    await page.getByRole('link', { name: 'Registrera förslag till beslut' }).click();
    await page.waitForURL(/\/beslut-om-medel\/ny$/);
    await session.accessible('/beslut-om-medel/ny');
    await page.getByLabel('Ärendets rubrik').fill(TITLE);
    await page.getByLabel('Nämnd', { exact: false }).first().fill('Bildningsnämnden');
    await page.getByLabel('Beredd av').fill('Utbildningsförvaltningen');
    await page.locator('#f-proposal-summary').fill('Bildningsnämnden beviljar medel till genomförande av arbetsmarknadsinriktade insatser i samarbete med Idrott & Service.');
    await page.getByLabel('Budgetpost').fill('Arbetsmarknadsinsatser');
    await page.getByLabel('Organisation som tar emot medlen').selectOption({ label: 'Idrott & Service (Leanlink)' });
    await page.getByLabel('Från och med').fill('2018-06-01');
    await page.getByLabel('Till och med').fill('2018-12-31');
    await page.getByLabel('Anne Hallberg, Linköpings kommun').check();
    const recipients: Array<[string, string]> = [
      ['Leanlink – Stöd och Service', 'leanlink@example.se'],
      ['Jobb- och kunskapstorget', 'jkt@example.se'],
      ['Socialförvaltningen (AFI)', 'afi@example.se'],
      ['Arbetsförmedlingen', ''],
    ];
    for (const [i, [name, email]] of recipients.entries()) {
      await page.locator(`#f-proposal-recipients-${i}-name`).fill(name);
      if (email) await page.locator(`#f-proposal-recipients-${i}-email`).fill(email);
    }
    await page.locator('#f-proposal-followUps-0-kind').selectOption({ label: 'Muntlig avstämning' });
    await page.locator('#f-proposal-followUps-0-meetingId').selectOption('bin-2018-09');
    await page.locator('#f-proposal-followUps-1-kind').selectOption({ label: 'Skriftlig utvärdering' });
    await page.locator('#f-proposal-followUps-1-meetingId').selectOption('bin-2018-12');
    // No amount yet: the form comes back with the problem next to its field, in Swedish.
    await page.getByRole('button', { name: 'Registrera förslaget' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('.error-summary').count()).toBe(1);
    expect(await page.locator('#f-proposal-amountKr-fel').innerText()).toMatch(/Belopp/);
    await session.accessible('/beslut-om-medel/ny (fel)');
    await shot('ny-fel');
    await page.getByLabel('Belopp (kr)').fill('530 000');
    await page.getByRole('button', { name: 'Registrera förslaget' }).click();
    await page.waitForURL(/\/beslut-om-medel\/[0-9a-f-]{36}\?utfort=PREPARE$/);
    caseUrl = new URL(page.url()).pathname;
    expect(await flash()).toContain('Förslag till beslut registrerat');
    expect(await page.locator('h1').innerText()).toBe(TITLE);
    expect(await page.locator('.lead').first().innerText()).toMatch(/Förslag till beslut[\s\S]*530\s000\skr/);
    await session.accessible(caseUrl);
    await shot('forslag');
  });

  it('puts it on the June agenda, refuses a decision before the meeting with the engine\'s words, and records it after', async () => {
    await page.locator('#f-PLACE_ON_AGENDA-meetingId').selectOption('bin-2018-06');
    await page.getByRole('button', { name: /^Sätt upp på dagordningen/ }).click();
    await page.waitForURL(/utfort=PLACE_ON_AGENDA$/);
    expect(await page.locator('.lead').first().innerText()).toContain('På dagordningen');
    // Withdrawing is offered, but last and not as the primary button.
    const buttons = await page.locator('#rubrik-atgarder ~ .actions button[type=submit]').allInnerTexts();
    expect(buttons.at(-1)).toMatch(/^Återkalla ärendet/);
    expect(await page.getByRole('button', { name: /^Återkalla ärendet/ }).getAttribute('class')).toBe('button-warning');

    await page.locator('#f-DECIDE-paragraph').fill('§ 87');
    await page.getByRole('button', { name: /^Registrera nämndens beslut/ }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('.flash-error').innerText()).toContain('Registrera nämndens beslut kan inte göras just nu');
    await session.accessible(`${caseUrl} (409)`);

    t.clock.freeze('2018-06-19T15:00:00Z');
    // Eighteen days on, the session has expired: the secretariat signs in again.
    await session.signIn('nina@example.se');
    await visit(caseUrl);
    await page.locator('#f-DECIDE-outcome').selectOption({ label: 'Beviljas' });
    await page.locator('#f-DECIDE-paragraph').fill('§ 87');
    await page.getByRole('button', { name: /^Registrera nämndens beslut/ }).click();
    await page.waitForURL(/utfort=DECIDE$/);
    expect(await page.locator('.lead').first().innerText()).toContain('Pågår');
    expect(await page.locator('section[aria-labelledby=rubrik-beslut]').innerText()).toMatch(/Beviljas, § 87, sammanträdet 2018-06-19/);
    const dates = await page.locator('section[aria-labelledby=rubrik-datum]').innerText();
    expect(dates).toMatch(/2018-09-11\s+Muntlig avstämning på sammanträdet/);
    const history = await page.locator('.timeline').innerText();
    expect(history).toContain('Förslag till beslut registrerat');
    expect(history).toContain('Sätt upp på dagordningen');
    expect(history).toMatch(/2018-06-19 17:00 – Registrera nämndens beslut/); // Stockholm summer time
    await session.accessible(`${caseUrl} (beviljat)`);
    await shot('beslut');
  });

  it('shows the follow-up on Bevakning and the decision in the list', async () => {
    await visit('/bevakning');
    const row = page.locator('section[aria-labelledby=rubrik-andra-arenden] tr', { hasText: 'Muntlig avstämning på sammanträdet' });
    expect(await row.innerText()).toMatch(/2018-09-11[\s\S]*LeanLink[\s\S]*Beslut om medel[\s\S]*Pågår/);
    expect(await row.getByRole('link').getAttribute('href')).toBe(caseUrl);
    await shot('bevakning');
    await visit('/beslut-om-medel');
    expect(await page.locator('tbody').innerText()).toMatch(/LeanLink[\s\S]*Bildningsnämnden\s+530\s000\skr\s+Pågår\s+2018-09-11/);
    await shot('lista');
    await visit('/beslut-om-medel/diagram');
    expect(await page.locator('.lifecycle-text').innerText()).toContain('Registrera nämndens beslut → Beviljat');
    await shot('diagram');
  });

  it('lets the official responsible read the case and record a follow-up; an outsider gets 404', async () => {
    await session.signIn('anne.hallberg@example.se');
    await visit(caseUrl);
    expect(await page.locator('h1').innerText()).toBe(TITLE);
    expect(await page.getByRole('button', { name: /^Registrera uppföljning/ }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^Expediera beslutet/ }).count()).toBe(0);
    await session.signIn('bilda@example.se');
    await visit(caseUrl, 404);
    expect(await page.locator('h1').innerText()).toBe('Sidan finns inte');
  });

  it('moves the September meeting on the sammanträdesplan, and the case\'s date moves with it', async () => {
    await session.signIn('nina@example.se');
    await visit('/sammantradesplan?ar=2018');
    expect(await page.locator('table caption').first().innerText()).toBe('Bildningsnämnden 2018');
    await shot('sammantradesplan');
    await page.locator('summary', { hasText: '2018-09-25' }).click();
    await page.locator('#f-flytta-bin-2018-09-date').fill('2018-09-27');
    await page.locator('#f-flytta-bin-2018-09-papersDueOn').fill('2018-09-13');
    await page.getByRole('button', { name: 'Flytta sammanträdet 2018-09-25' }).click();
    await page.waitForURL(/flyttat=bin-2018-09/);
    expect(await flash()).toBe('Sammanträdet är flyttat till 2018-09-27, sista dag för handlingar 2018-09-13. Datumen i 1 ärende flyttades med.');
    await session.accessible('/sammantradesplan (flyttat)');
    await shot('sammantradesplan-flyttat');
    await visit(caseUrl);
    expect(await page.locator('section[aria-labelledby=rubrik-datum]').innerText()).toMatch(/2018-09-13\s+Muntlig avstämning på sammanträdet/);
    expect(await page.locator('section[aria-labelledby=rubrik-uppfoljning]').innerText()).toMatch(/Muntlig avstämning\s+2018-09-27\s+2018-09-13\s+Planerad/);
    expect(await page.locator('.timeline').innerText()).toContain('Sammanträdet flyttat');
    await shot('flyttat-arende');
  });

  it('found nothing with axe on any page', () => {
    expect(session.violations()).toEqual([]);
  });
});
