/**
 * Issue 7 in a real browser: a year of follow-up for Bromodellen through the pages. The secretariat
 * records the samverkansgrupp's meeting; an amendment proposed in the form is agreed by each party's
 * signatory on the consent page and changes the economics from the next year on, version 1 still
 * readable; the partner's member hands in the yearly report, refused first for a personnummer in the
 * text; a report nobody handed in shows on Bevakning as overdue; a committee visit is recorded
 * against a template the secretariat wrote. axe-core checks every page visited.
 */
import type { Page } from 'playwright-core';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { createBromodellenParties, createPerson, sendEvent, type BromodellenParties } from '@test/support/factories';
import { FOLLOW_UP_DUTIES } from '@test/support/follow-up-factories';
import { TEST_ADMINISTRATOR } from '@test/support/test-app';
import { screenshot } from './support/browser';
import { BrowserSession, signedBromodellen, withPasswords } from './support/session';
import { startWebTestApp, type WebTestApp } from './support/web-app';

/** Luhn-valid, so the API recognises it as a personnummer. */
const PERSONNUMMER = '19850615-1235';

jest.setTimeout(60_000);

describe('follow-up, amendments and committee visits in the browser', () => {
  let t: WebTestApp;
  let p: BromodellenParties;
  const session = new BrowserSession(() => t);
  let page: Page;
  let agreementId: string;
  const accessible = (label: string): Promise<void> => session.accessible(label);
  const signIn = (email: string): Promise<void> => session.signIn(email);

  async function openAgreement(): Promise<void> {
    await page.goto(`${t.baseUrl}/overenskommelser/${agreementId}`);
    await accessible(`överenskommelsen (${page.url()})`);
  }

  /** Moves the frozen clock and lets the date sweep fire what fell due; no sleeping. */
  async function travelTo(instant: string): Promise<void> {
    t.clock.freeze(instant);
    await t.started.app.get(TimerSweeperService).sweep();
  }

  const section = (heading: string) => page.locator('section', { has: page.getByRole('heading', { level: 2, name: heading, exact: true }) });

  beforeAll(async () => {
    t = await startWebTestApp('2023-10-01T08:00:00Z');
    p = await createBromodellenParties(t);
    const member = await createPerson(t, { name: 'Bo Medlem', email: 'bo@example.se', organisationId: p.bilda.id }, ['member']);
    await withPasswords(t, [
      [p.secretariat, ['secretariat']],
      [p.kommunSignatory, ['signatory']],
      [p.bildaSignatory, ['signatory']],
      [p.ehSignatory, ['signatory']],
      [member, ['member']],
      [{ id: t.administratorId }, ['administrator']],
    ]);
    agreementId = await signedBromodellen(t, p, { followUp: FOLLOW_UP_DUTIES });
    await travelTo('2024-11-20T08:00:00Z');

    await session.open();
    page = session.page;
  });

  afterAll(async () => {
    await session.close();
    await t?.close();
  });

  it('the secretariat records the samverkansgrupp meeting in the form', async () => {
    await signIn('nina@example.se');
    await openAgreement();
    expect(await section('Uppföljning').innerText()).toMatch(/2024\s+Samverkansgruppens uppföljningsmöte\s+2024-12-31\s+0 av 1\s+Kommande/);
    await page.getByRole('link', { name: /Registrera uppföljningsmöte – Bromodellen/ }).click();
    await page.waitForURL(/\/uppfoljning\/mote$/);
    await accessible('uppföljningsmöte');
    // A meeting is recorded once it has been held: the API's message, at the date field.
    await page.getByLabel('Mötesdag').fill('2024-12-01');
    await page.getByRole('checkbox', { name: /Nämndsekreterare Nina/ }).check();
    await page.getByRole('checkbox', { name: /Bilda Firmatecknare/ }).check();
    await page.getByLabel('Annan deltagare 1').fill('Anna Berg, Integrations- och arbetsmarknadsförvaltningen');
    await page.getByLabel('Anteckningar').fill('Genomgång av årets verksamhet och platserna.');
    await page.getByRole('button', { name: 'Registrera mötet' }).click();
    await accessible('uppföljningsmöte (fel)');
    expect(await page.locator('.error-summary').innerText()).toContain('Ett möte registreras när det har hållits');
    expect(await page.locator('#f-heldOn-fel').innerText()).toContain('Ett möte registreras när det har hållits');
    expect(await page.getByRole('checkbox', { name: /Bilda Firmatecknare/ }).isChecked()).toBe(true);
    await page.getByLabel('Mötesdag').fill('2024-11-12');
    await page.getByRole('button', { name: 'Registrera mötet' }).click();
    await page.waitForURL(/utfort=RECORD_FOLLOW_UP_MEETING/);
    expect(await page.locator('.flash').innerText()).toContain('Registrera uppföljningsmöte');
    const followUp = await section('Uppföljning').innerText();
    expect(followUp).toMatch(/2024\s+Samverkansgruppens uppföljningsmöte\s+2024-12-31\s+1 av 1\s+Uppfylld/);
    expect(followUp).toContain('2024-11-12');
    expect(followUp).toMatch(/Nämndsekreterare Nina, Bilda Firmatecknare, Anna Berg, Integrations- och arbetsmarknadsförvaltningen/);
  });

  it('an amendment proposed in the form and agreed by every party changes the economics from the next year, version 1 still visible', async () => {
    await page.getByRole('link', { name: /Föreslå tillägg – Bromodellen/ }).click();
    await page.waitForURL(/\/tillagg$/);
    await accessible('föreslå tillägg');
    expect(await page.getByLabel('Gäller från och med år').inputValue()).toBe('2025');
    expect(await page.getByLabel('Summa per år (kr)').inputValue()).toBe('2368800');
    await page.getByLabel('Gäller från och med år').fill('2024');
    await page.getByLabel('Skäl till tillägget').fill('Bilda utökar med en fjärde tjänst.');
    await page.getByLabel('Kostnad 1', { exact: true }).fill('undervisning, handledning, uppföljning (4 tjänster)');
    await page.getByLabel('Belopp per år, kostnad 1 (kr)').fill('2 131 200');
    await page.getByLabel('Summa per år (kr)').fill('2 829 600');
    await page.getByLabel('Bidrag per år, Linköpings kommun (kr)').fill('1980720');
    await page.getByLabel('Bidrag per år, Studieförbundet Bilda Sydöst (kr)').fill('707400');
    await page.getByLabel('Bidrag per år, Erikshjälpen Linköping (kr)').fill('141480');
    await page.getByRole('button', { name: 'Föreslå tillägget' }).click();
    await accessible('föreslå tillägg (fel)');
    expect(await page.locator('#f-effectiveFromYear-fel').innerText()).toMatch(/\S/);
    await page.getByLabel('Gäller från och med år').fill('2025');
    await page.getByRole('button', { name: 'Föreslå tillägget' }).click();
    await page.waitForURL(/utfort=PROPOSE_AMENDMENT/);
    expect(await section('Villkorsversioner').innerText()).toMatch(/Föreslaget tillägg: version 2, från 2025[\s\S]*Väntar på: Linköpings kommun, Studieförbundet Bilda Sydöst, Erikshjälpen Linköping/);
    // Withdrawing asks for a reason, like the other reason events (not sent here).
    await page.getByRole('link', { name: /Dra tillbaka tillägg – Bromodellen/ }).click();
    await page.waitForURL(/\/handelser\/WITHDRAW_AMENDMENT$/);
    await accessible('dra tillbaka tillägg');
    expect(await page.getByLabel(/^Skäl/).count()).toBe(1);
    await page.getByRole('link', { name: 'Avbryt' }).click();

    for (const email of ['mikaela@example.se', 'bilda@example.se', 'eh@example.se']) {
      await signIn(email);
      await openAgreement();
      // The keyboard alone: the link, Enter; the one button, Enter.
      await page.getByRole('link', { name: /Godkänn tillägg – Bromodellen/ }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/handelser\/AGREE_TO_AMENDMENT$/);
      await accessible(`godkänn tillägg (${email})`);
      const box = await page.locator('.sign-box').innerText();
      expect(box).toContain('ny ekonomi från och med 2025');
      expect(box).toContain('2\u00a0829\u00a0600\u00a0kr');
      if (email === 'bilda@example.se') {
        expect(box).toContain('Studieförbundet Bilda Sydöst bidrar då med 707\u00a0400\u00a0kr per år');
        await screenshot(page, 'tillagg-samtycke');
      }
      await page.getByRole('button', { name: 'Godkänn tillägg' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/utfort=AGREE_TO_AMENDMENT/);
    }
    const versions = await section('Villkorsversioner').innerText();
    expect(versions).toMatch(/Version 1, gäller från 2024[\s\S]*2\u00a0368\u00a0800\u00a0kr[\s\S]*Version 2, gäller från 2025[\s\S]*2\u00a0829\u00a0600\u00a0kr/);
    expect(versions).not.toContain('Väntar på parterna');
    const years = page.locator('table', { hasText: 'Beräknad ekonomi per år och part' });
    expect(await years.locator('tr', { hasText: /^2024/ }).innerText()).toMatch(/1\u00a0658\u00a0160\u00a0kr[\s\S]*2\u00a0368\u00a0800\u00a0kr\s+1$/);
    expect(await years.locator('tr', { hasText: /^2025/ }).innerText()).toMatch(/1\u00a0980\u00a0720\u00a0kr[\s\S]*2\u00a0829\u00a0600\u00a0kr\s+2$/);
  });

  it('the partner\'s member hands in the yearly report: a personnummer is refused at the text, then the report is taken', async () => {
    await travelTo('2025-02-10T08:00:00Z');
    await signIn('bo@example.se');
    await openAgreement();
    await page.getByRole('link', { name: /Lämna årsrapport – Bromodellen/ }).click();
    await page.waitForURL(/\/uppfoljning\/arsrapport$/);
    await accessible('årsrapport');
    expect(await page.locator('.notice').innerText()).toContain('Skriv inga namn, personnummer eller andra uppgifter om enskilda deltagare.');
    expect(await page.getByLabel('År som rapporten gäller').inputValue()).toBe('2024');
    expect(await page.getByLabel('Avtalade platser').inputValue()).toBe('40');
    await screenshot(page, 'uppfoljning-rapport');
    const typed = `Deltagaren ${PERSONNUMMER} har fått anställning efter arbetsträningen.`;
    await page.locator('#f-text').fill(typed);
    for (const [label, value] of [
      ['Antal deltagare under året', '64'],
      ['Antal med stegförflyttning enligt GA-modellen', '23'],
      ['Arbete', '9'],
      ['Studier', '6'],
      ['Annan insats', '14'],
      ['Ingen förändring', '11'],
      ['Använda platser', '38'],
    ]) {
      await page.getByLabel(new RegExp(`^${label}`)).fill(value);
    }
    await page.getByRole('button', { name: 'Lämna årsrapporten' }).click();
    await accessible('årsrapport (personnummer)');
    expect(await page.locator('#f-text-fel').innerText()).toContain('Uppföljningen får bara innehålla sammanräknade uppgifter');
    expect(await page.locator('.error-summary a[href="#f-text"]').count()).toBe(1);
    expect(await page.locator('#f-text').inputValue()).toBe(typed);
    expect(await page.getByLabel(/^Använda platser/).inputValue()).toBe('38');
    await page.locator('#f-text').fill('Nio deltagare har fått anställning efter arbetsträningen, sex har börjat studera.');
    await page.getByRole('button', { name: 'Lämna årsrapporten' }).click();
    await page.waitForURL(/utfort=SUBMIT_YEARLY_REPORT/);
    const followUp = await section('Uppföljning').innerText();
    expect(followUp).toContain('Årsrapport 2024, Studieförbundet Bilda Sydöst');
    expect(followUp).toMatch(/2024\s+Skriftlig årsrapport till nämnden\s+2025-03-31\s+1 av 1\s+Uppfylld/);
    expect(followUp).toContain('38 använda av 40 avtalade');
    expect(followUp).not.toContain(PERSONNUMMER);
  });

  it('a report nobody handed in shows on Bevakning as overdue, first, with what has to happen', async () => {
    // Renewed in the decision window (through the API: the extension pages have their own test), so 2025's report falls due in force.
    await travelTo('2025-06-02T07:30:00Z');
    for (const o of [p.kommun, p.bilda, p.erikshjalpen]) await sendEvent(t, p, agreementId, { type: 'CONSENT_TO_EXTENSION', organisationId: o.id }).expect(200);
    await travelTo('2026-04-02T08:00:00Z');
    await signIn('nina@example.se');
    expect(new URL(page.url()).pathname).toBe('/att-gora');
    await page.goto(`${t.baseUrl}/bevakning`);
    await accessible('/bevakning (försenad uppföljning)');
    const rows = page.locator('tbody tr');
    const report = page.locator('tbody tr', { hasText: 'sista dag för den skriftliga årsrapporten' }).filter({ hasText: '2026-03-31' });
    expect(await report.innerText()).toMatch(/2026-03-31\s+Försenat[\s\S]*Bromodellen[\s\S]*Den idéburna parten ska lämna den skriftliga årsrapporten/);
    expect(await report.getByRole('link', { name: 'Bromodellen' }).getAttribute('href')).toBe(`/overenskommelser/${agreementId}`);
    const overdue = await page.locator('tbody tr.overdue').count();
    expect(overdue).toBeGreaterThanOrEqual(2); // 2025's meeting and 2025's report
    for (let i = 0; i < overdue; i += 1) expect(await rows.nth(i).innerText()).toContain('Försenat');
    await openAgreement();
    expect(await section('Uppföljning').innerText()).toMatch(/2025\s+Skriftlig årsrapport till nämnden\s+2026-03-31\s+0 av 1\s+Försenad/);
  });

  it('the secretariat writes the visit template, records a committee visit on it, and the visit keeps its questions when the template changes', async () => {
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Nämndbesök' }).click();
    await page.waitForURL(/\/namndbesok$/);
    await accessible('/namndbesok (tom)');
    await page.getByRole('link', { name: 'Ny version av mallen' }).click();
    await accessible('/namndbesok/mall/ny');
    await page.getByLabel('Verksamhetsinriktning').fill('Arbetslik aktivitet');
    await page.getByLabel('År mallen gäller').fill('2026');
    await page.getByLabel('Fråga 1, text').fill('Hur ser arbetet med handlingsplaner ut?');
    await page.getByLabel('Fråga 1, stödfrågor').fill('Vem skriver planen?\nHur följs den upp?');
    await page.getByLabel('Fråga 2, text').fill('Hur når verksamheten sina deltagare?');
    await page.getByRole('button', { name: 'Spara den nya versionen' }).click();
    await page.waitForURL(/sparat=mall/);
    expect(await page.locator('.flash').innerText()).toContain('Den nya versionen av mallen är sparad');

    await page.getByRole('link', { name: 'Dokumentera nämndbesök' }).click();
    await accessible('/namndbesok/nytt');
    expect(await page.getByLabel(/^Fråga 1: Hur ser arbetet med handlingsplaner ut\?/).count()).toBe(1);
    await page.getByLabel('Besöksdag').fill('2026-03-25');
    await page.getByLabel('Överenskommelse som besöktes').selectOption({ label: 'Bromodellen' });
    await page.getByLabel('Ledamot 1, namn').fill('Anna Ledamot');
    await page.getByLabel('Ledamot 2, namn').fill('Olle Ledamot');
    await page.getByLabel('Ledamot 2, sida').selectOption('majority');
    await page.getByLabel('Tjänsteperson 1').fill('Nämndsekreterare Nina');
    await page.getByLabel(/^Fråga 1:/).fill('Varje deltagare har en handlingsplan som följs upp varje månad.');
    await page.getByRole('button', { name: 'Spara besöket' }).click();
    await accessible('/namndbesok/nytt (fel)');
    expect(await page.locator('#f-members-fel').innerText()).toContain('Ange minst en deltagande ledamot från oppositionen.');
    expect(await page.getByLabel(/^Fråga 1:/).inputValue()).toBe('Varje deltagare har en handlingsplan som följs upp varje månad.');
    await page.getByLabel('Ledamot 2, sida').selectOption('opposition');
    await page.getByRole('button', { name: 'Spara besöket' }).click();
    await page.waitForURL(/\/namndbesok\/[0-9a-f-]{36}\?sparat=besok$/);
    const visitUrl = page.url().replace(/\?.*$/, '');
    await accessible('nämndbesöket');
    const shown = await page.locator('main').innerText();
    expect(shown).toMatch(/Ledamöter, majoriteten\s+Anna Ledamot\s+Ledamöter, oppositionen\s+Olle Ledamot\s+Tjänstepersoner\s+Nämndsekreterare Nina/);
    expect(shown).toMatch(/Hur ser arbetet med handlingsplaner ut\?[\s\S]*Vem skriver planen\?[\s\S]*Varje deltagare har en handlingsplan/);
    expect(shown).toMatch(/Hur når verksamheten sina deltagare\?\s+Inte besvarad\./);
    expect(await page.getByRole('link', { name: 'Bromodellen' }).getAttribute('href')).toBe(`/overenskommelser/${agreementId}`);
    await screenshot(page, 'namndbesok');

    // Next year's questions are a new version; the visit is still shown with the ones it was answered against.
    await page.goto(`${t.baseUrl}/namndbesok/mall/ny`);
    expect(await page.getByLabel('Fråga 1, stödfrågor').inputValue()).toBe('Vem skriver planen?\nHur följs den upp?');
    await page.getByLabel('År mallen gäller').fill('2027');
    await page.getByLabel('Fråga 1, text').fill('Hur arbetar ni med deltagarnas mål?');
    await page.getByRole('button', { name: 'Spara den nya versionen' }).click();
    await page.waitForURL(/sparat=mall/);
    await accessible('/namndbesok (besök och två mallversioner)');
    expect(await page.locator('main').innerText()).toMatch(/Arbetslik aktivitet 2027, version 2/);
    await page.goto(visitUrl);
    expect(await page.locator('main').innerText()).toContain('Hur ser arbetet med handlingsplaner ut?');
    expect(await page.locator('main').innerText()).not.toContain('Hur arbetar ni med deltagarnas mål?');
  });

  it('lets the administrator read the visits but not write them, and keeps them from a partner\'s member', async () => {
    await signIn(TEST_ADMINISTRATOR.email);
    await page.goto(`${t.baseUrl}/namndbesok`);
    await accessible('/namndbesok (administratör)');
    expect(await page.locator('tbody').innerText()).toMatch(/2026-03-25[\s\S]*Arbetslik aktivitet[\s\S]*Bromodellen[\s\S]*Anna Ledamot \(majoriteten\), Olle Ledamot \(oppositionen\)/);
    expect(await page.getByRole('link', { name: 'Dokumentera nämndbesök' }).count()).toBe(0);
    await page.goto(`${t.baseUrl}/namndbesok/nytt`);
    expect(await page.locator('h1').innerText()).toBe('Du har inte behörighet till den här sidan');
    await signIn('bo@example.se');
    expect(await page.getByRole('link', { name: 'Nämndbesök' }).count()).toBe(0);
    await page.goto(`${t.baseUrl}/namndbesok`);
    expect(await page.locator('h1').innerText()).toBe('Du har inte behörighet till den här sidan');
  });

  it('found no accessibility violation on any page', () => {
    expect(session.checked.size).toBeGreaterThanOrEqual(15);
    expect(session.violations()).toEqual([]);
  });
});
