/**
 * Issue 6, end to end in a real browser (Debian's Chromium through playwright-core): the
 * secretariat finds Bromodellen's decision deadline on Bevakning, a signatory of each party
 * consents to the extension, the agreement shows as renewed with its new end date, and the
 * auditor reads both consents, with names, in the history. axe-core checks every page visited
 * against WCAG 2.1 A and AA; the main pages are saved as screenshots under docs/screenshots.
 */
import type { Page } from 'playwright-core';
import { AuditVerificationRunRepository } from '@app/audit/audit-verification-run.repository';
import { OutboxSenderService } from '@app/notifications/outbox-sender.service';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { createBromodellenParties, createPerson, type BromodellenParties } from '@test/support/factories';
import { TEST_ADMINISTRATOR } from '@test/support/test-app';
import { screenshot } from './support/browser';
import { BrowserSession, signedBromodellen, withPasswords } from './support/session';
import { startWebTestApp, type WebTestApp } from './support/web-app';

jest.setTimeout(60_000);

describe('the web interface', () => {
  let t: WebTestApp;
  let p: BromodellenParties;
  const session = new BrowserSession(() => t);
  let page: Page;
  let agreementId: string;
  let auditor: { id: string };
  const checked = session.checked;
  const accessible = (label: string): Promise<void> => session.accessible(label);
  const signIn = (email: string): Promise<void> => session.signIn(email);

  async function visit(path: string): Promise<void> {
    const response = await page.goto(`${t.baseUrl}${path}`);
    expect(response?.status()).toBeLessThan(500);
    await accessible(path);
  }

  /** The browser is on `path`, which passes axe, and is saved as a screenshot when named. */
  async function landedOn(path: string, shot?: string): Promise<void> {
    expect(new URL(page.url()).pathname).toBe(path);
    await accessible(path);
    if (shot) await screenshot(page, shot);
  }

  beforeAll(async () => {
    t = await startWebTestApp('2023-10-01T08:00:00Z');
    p = await createBromodellenParties(t);
    auditor = await createPerson(t, { name: 'Revisor Rut', email: 'rut@example.se', organisationId: p.kommun.id }, ['auditor']);
    await withPasswords(t, [
      [p.secretariat, ['secretariat']],
      [p.kommunSignatory, ['signatory']],
      [p.bildaSignatory, ['signatory', 'member']],
      [p.ehSignatory, ['signatory', 'member']],
      [auditor, ['auditor']],
      [{ id: t.administratorId }, ['administrator']],
    ]);
    agreementId = await signedBromodellen(t, p);
    // Into the decision window: the clock moves, the sweep fires the dates and writes the reminders, the outbox delivers them.
    t.clock.freeze('2025-06-02T07:30:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
    await t.started.app.get(OutboxSenderService).deliverDue();

    await session.open();
    page = session.page;
  });

  afterAll(async () => {
    await session.close();
    await t?.close();
  });

  it('sends a visitor to the sign-in page, and refuses a wrong password next to the field', async () => {
    await page.goto(`${t.baseUrl}/bevakning`);
    await landedOn('/logga-in', 'logga-in');
    // Keyboard first: the first Tab reaches the skip link, which is then visible.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Hoppa till innehållet');
    expect(await page.getByRole('link', { name: 'Hoppa till innehållet' }).isVisible()).toBe(true);
    await page.getByLabel('E-postadress').fill('nina@example.se');
    await page.getByLabel('Lösenord').fill('fel-lösenord');
    await page.getByRole('button', { name: 'Logga in' }).click();
    expect(await page.locator('.error-summary').count()).toBe(1);
    expect(await page.locator('#f-email-fel').innerText()).toContain('Fel e-postadress eller lösenord.');
    await accessible('/logga-in (fel lösenord)');
  });

  it('shows the secretariat Bromodellen\'s decision deadline on Bevakning', async () => {
    await signIn('nina@example.se');
    await landedOn('/att-gora');
    await visit('/bevakning');
    const row = page.locator('tr', { hasText: 'sista dag för beslut om förlängning' });
    expect(await row.innerText()).toMatch(/2025-09-30[\s\S]*Bromodellen/);
    await screenshot(page, 'bevakning');
    await visit('/portfolj');
    // This year's figures (2025) with the 2 % indexation from 2024.
    expect(await page.locator('table.portfolio tbody').innerText()).toContain('2\u00a0416\u00a0176\u00a0kr');
    // docs/screenshots/portfolj.png is test/web/portfolio.e2e.spec.ts's (2026, several states).
    const bytes = await page.evaluate<number[]>(`fetch('/portfolj.csv?sortera=kostnad&ordning=fallande').then((r) => r.arrayBuffer()).then((b) => [...new Uint8Array(b)])`);
    expect(bytes.slice(0, 3)).toEqual([0xef, 0xbb, 0xbf]); // the BOM that makes spreadsheet programs read UTF-8
    const csv = Buffer.from(bytes.slice(3)).toString('utf8');
    expect(csv.split('\r\n')[0]).toBe('namn;parter;kategori;målgrupp;syfte;beräknat värde 2025 (kr);nämndens kostnad 2025 (kr);gäller till och med;tillstånd');
    expect(csv).toContain(';2416176;1691323;2025-12-31;');
    await visit('/portfolj/utskrift');
    await page.emulateMedia({ media: 'print' });
    const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
    await page.emulateMedia({ media: 'screen' });
    expect(pdf.match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    // A4 landscape in points (297 × 210 mm), from the stylesheet's @page.
    const [, width, height] = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf) ?? [];
    expect([Math.round(Number(width)), Math.round(Number(height))]).toEqual([842, 595]);
    // The agreement page's screenshots are taken by agreement-page.e2e.spec.ts (1280 and 390 px).
    await visit(`/overenskommelser/${agreementId}`);
  });

  it('lets a signatory of each party consent to the extension in two clicks', async () => {
    for (const email of ['mikaela@example.se', 'bilda@example.se', 'eh@example.se']) {
      await signIn(email);
      await landedOn('/att-gora');
      await visit('/mina-overenskommelser');
      if (email === 'mikaela@example.se') await screenshot(page, 'mina-overenskommelser');
      // With the keyboard alone: focus the link, Enter; on the consent page, the button, Enter.
      await page.getByRole('link', { name: /Samtyck till förlängning – Bromodellen/ }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/handelser\/CONSENT_TO_EXTENSION$/);
      await accessible(`samtycke (${email})`);
      expect(await page.locator('.sign-box').innerText()).toContain('till och med 2027-12-31');
      if (email === 'bilda@example.se') await screenshot(page, 'samtycke');
      await page.getByRole('button', { name: 'Samtyck till förlängning' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/utfort=CONSENT_TO_EXTENSION/);
      expect(await page.locator('.flash').innerText()).toContain('Klart, och sparat i historiken: Samtyck till förlängning');
      await accessible(`överenskommelsen efter samtycke (${email})`);
    }
    expect(await page.locator('h1 + .lead').innerText()).toMatch(/Förlängd[\s\S]*till och med 2027-12-31/);
  });

  it('shows the auditor both consents in the history, with names, and every chain verified', async () => {
    await signIn('rut@example.se');
    await landedOn('/att-gora');
    await visit('/granskning');
    expect(await page.locator('#kontroll-utfall').innerText()).toContain('Ingen kontroll av historiken har gjorts ännu.');
    // Kontrollera nu, held at its first batch so the page shows the run in progress; the page's
    // script then fetches it again and swaps the verdict in when the run is done.
    const repository = t.started.app.get(AuditVerificationRunRepository);
    const progress = repository.progress.bind(repository);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const spy = jest.spyOn(repository, 'progress').mockImplementation(async (...args) => {
      await progress(...args);
      await held;
    });
    try {
      await page.getByRole('button', { name: 'Kontrollera nu' }).click();
      await page.waitForURL(/\/granskning\?kontroll=startad$/);
      expect(await page.locator('#kontroll-pagar').innerText()).toMatch(/En kontroll pågår \(startad av Revisor Rut, startade [\d-]+ [\d:]+\): \d+ händelser? i \d+ kedj(a|or) kontrollerade hittills/);
      await accessible('/granskning (kontroll pågår)');
    } finally {
      release();
      spy.mockRestore();
    }
    await page.locator('#kontroll-utfall', { hasText: 'Alla kedjor är hela.' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#kontroll-pagar').innerText()).toBe('');
    expect(await page.locator('#kontroll-utfall').innerText()).toMatch(/Senaste kontrollen \(startad av Revisor Rut\) startade .* och var klar .*: 1 överenskommelse, \d+ händelser\./);
    await accessible('/granskning (kontrollerad)');
    await visit('/granskning');
    await screenshot(page, 'granskning');
    await page.getByRole('link', { name: 'Bromodellen', exact: true }).click();
    await accessible('överenskommelsen (revisor)');
    const history = await page.locator('.timeline').innerText();
    for (const name of ['Mikaela Schullström', 'Bilda Firmatecknare', 'Erikshjälpen Firmatecknare']) {
      expect(history).toMatch(new RegExp(`Samtyck till förlängning\\n${name}`));
    }
    const csv = await page.evaluate<string>(`fetch('/overenskommelser/${agreementId}/historik.csv').then((r) => r.text())`);
    // The export for people: Swedish labels, semicolons (agreement-page.e2e.spec.ts tests the rest).
    expect(csv.match(/;Samtyck till förlängning;/g)).toHaveLength(3);
    await visit('/administration');
    expect(await page.locator('h1').innerText()).toBe('Du har inte behörighet till den här sidan');
  });

  it('takes an initiative from a member, and the secretariat edits the draft with the API\'s messages next to the fields', async () => {
    await signIn('bilda@example.se');
    await visit('/initiativ/ny');
    await screenshot(page, 'nytt-initiativ');
    await page.getByRole('button', { name: 'Skicka initiativet' }).click();
    await accessible('/initiativ/ny (fel)');
    expect(await page.locator('#f-title-fel').innerText()).toContain('Namn på överenskommelsen får inte vara tom');
    await page.getByLabel('Namn på överenskommelsen').fill('Läxhjälp i Skäggetorp');
    await page.getByLabel('Syfte').fill('Fler elever klarar skolan.');
    await page.getByRole('button', { name: 'Skicka initiativet' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('h1').innerText()).toBe('Läxhjälp i Skäggetorp');
    const initiativeUrl = page.url();

    await signIn('nina@example.se');
    await page.goto(initiativeUrl);
    await page.getByRole('button', { name: 'Ta upp initiativet' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('h1 + .lead').innerText()).toContain('Utkast');
    await page.getByRole('link', { name: 'Ändra villkoren' }).click();
    await accessible('ändra utkastet');
    // The API's two stages, as they are: the form's shape first, then whether the terms hang together.
    await page.getByLabel('Gäller från och med').fill('2026-01-01');
    await page.getByLabel('Gäller till och med').fill('2025-12-31');
    await page.getByLabel('Andel, part 1 (%)').fill('sjuttio');
    await page.getByRole('button', { name: 'Spara villkoren' }).click();
    await accessible('ändra utkastet (fel i formen)');
    expect(await page.locator('#f-parties-0-shareBasisPoints-fel').innerText()).toContain('Andel, part 1 (%) ska vara ett heltal');
    await page.getByLabel('Andel, part 1 (%)').fill('');
    await page.getByRole('button', { name: 'Spara villkoren' }).click();
    await accessible('ändra utkastet (fel i villkoren)');
    expect(await page.locator('#f-validity-endDate-fel').innerText()).toContain('Slutdatum måste vara efter startdatum.');
    await screenshot(page, 'utkast-fel');
    await page.getByLabel('Gäller till och med').fill('2027-12-31');
    await page.getByRole('button', { name: 'Spara villkoren' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('.flash').innerText()).toContain('Ändra villkor');
    expect(await page.locator('h1 + .lead').innerText()).toContain('till och med 2027-12-31');
  });

  it('lets the administrator manage organisations and see failed e-mail', async () => {
    await signIn(TEST_ADMINISTRATOR.email);
    await landedOn('/att-gora');
    await visit('/administration');
    await screenshot(page, 'administration');
    await page.locator('#f-name').fill('Föreningen Ny');
    await page.getByLabel('Organisationsnummer').fill('123456-7890');
    await page.getByRole('button', { name: 'Lägg till organisationen' }).click();
    await accessible('/administration (fel)');
    expect(await page.locator('#f-organisationNumber-fel').count()).toBe(1);
    await page.getByRole('checkbox', { name: 'nämndkansliet' }).and(page.locator(`#roller-${auditor.id}-secretariat`)).check();
    await page.getByRole('button', { name: 'Spara roller för Revisor Rut' }).click();
    await page.waitForURL(/klart=roller/);
    expect(await page.locator('.flash').innerText()).toBe('Rollerna är sparade.');
    expect(await page.locator(`#roller-${auditor.id}-secretariat`).isChecked()).toBe(true);
  });

  it('found no accessibility violation on any page', () => {
    expect(checked.size).toBeGreaterThanOrEqual(10);
    expect(session.violations()).toEqual([]);
  });
});
