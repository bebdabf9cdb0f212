/**
 * Issue 15, Portfölj in Chromium: in force by default, a state filter by Swedish state names, this
 * year's figures with indexation (Bromodellen's 2 368 800 kr from 2024 at 2 % is 2 464 500 kr in
 * 2026), sums per state, and no sideways scroll of the page at 1280 and 390 px. The migration that
 * fills the yearly columns of existing rows gives what the engine projects.
 */
import { DataSource } from 'typeorm';
import type { Page } from 'playwright-core';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { TEST_ADMINISTRATOR } from '@test/support/test-app';
import { createBromodellenParties, sendEvent, bromodellenBody, type BromodellenParties } from '@test/support/factories';
import { YearlyOverviewColumns1766000000000 } from '../../migrations/1766000000000-YearlyOverviewColumns';
import { screenshot } from './support/browser';
import { BrowserSession, signedBromodellen, withPasswords } from './support/session';
import { startWebTestApp, type WebTestApp } from './support/web-app';

jest.setTimeout(90_000);

const kr = (n: number): string => `${n.toLocaleString('sv-SE').replace(/\s/g, '\u00a0')}\u00a0kr`;

describe('Portfölj', () => {
  let t: WebTestApp;
  let p: BromodellenParties;
  const session = new BrowserSession(() => t);
  let page: Page;

  beforeAll(async () => {
    t = await startWebTestApp('2019-10-01T08:00:00Z');
    p = await createBromodellenParties(t);
    await withPasswords(t, [[p.secretariat, ['secretariat']], [{ id: t.administratorId }, ['administrator']]]);
    // In force in 2026: Bromodellen running 2024–2027, and one signed that starts in 2027.
    await signedBromodellen(t, p, { validity: { startDate: '2024-01-01', endDate: '2027-12-31' } });
    await signedBromodellen(t, p, { title: 'Kompletterande språkträning', diarienummer: 'AN 2019-0101', validity: { startDate: '2027-01-01', endDate: '2028-12-31' } });
    // Ended: Språkvänner ran 2020–2021 (its last year's figure is 2 416 176 kr).
    await signedBromodellen(t, p, { title: 'Språkvänner', diarienummer: 'AN 2019-0007', validity: { startDate: '2020-01-01', endDate: '2021-12-31' } });
    // Under signing, not in force.
    const signing = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { title: 'Vi Ses!', diarienummer: 'AN 2019-0200' })).expect(201)).body.id as string;
    for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }]) await sendEvent(t, p, signing, body).expect(200);
    t.clock.freeze('2026-03-02T08:00:00Z');
    for (let i = 0; i < 6; i += 1) await t.started.app.get(TimerSweeperService).sweep();
    await session.open();
    page = session.page;
    await session.signIn('nina@example.se');
  });

  afterAll(async () => {
    await session.close();
    await t?.close();
  });

  const rowNames = async (): Promise<string[]> => (await page.locator('table.portfolio tbody th[scope=row] a').allInnerTexts()).sort();
  const footer = async (): Promise<string> => page.locator('table.portfolio tfoot').innerText();

  it('lists the agreements in force by default, with this year\'s figures with indexation and sums per state', async () => {
    await page.goto(`${t.baseUrl}/portfolj`);
    await session.accessible('/portfolj');
    expect(await rowNames()).toEqual(['Bromodellen', 'Kompletterande språkträning']);
    expect(await page.locator('th[scope=col]', { hasText: 'Beräknat värde 2026' }).count()).toBe(1);
    const bromodellen = await page.locator('tbody tr', { hasText: 'Bromodellen' }).innerText();
    // 2 368 800 kr × 1,02² = 2 464 499,52 kr, rounded once; the municipality's 70 % part by largest remainder.
    expect(bromodellen).toContain(kr(2_464_500));
    expect(bromodellen).toContain(kr(1_725_150));
    expect(bromodellen).toContain('Gällande');
    // Starting in 2027: its first year's figures.
    expect(await page.locator('tbody tr', { hasText: 'Kompletterande språkträning' }).innerText()).toContain(kr(2_368_800));
    const sums = await footer();
    expect(sums).toContain('Signerad, 1 överenskommelse');
    expect(sums).toContain('Gällande, 1 överenskommelse');
    expect(sums).toMatch(new RegExp(`Summa, alla 2 överenskommelser\\s+${kr(2_464_500 + 2_368_800)}`));
    expect(sums).not.toContain('Utgången');
    expect(await page.getByLabel('Tillstånd').inputValue()).toBe('i-kraft');
  });

  it('filters on a state by its Swedish name, and on all states with a sum for each', async () => {
    await page.getByLabel('Tillstånd').selectOption({ label: 'Utgången' });
    await page.getByRole('button', { name: 'Visa' }).click();
    await page.waitForURL(/tillstand=expired/);
    await session.accessible('/portfolj?tillstand=expired');
    expect(await rowNames()).toEqual(['Språkvänner']);
    expect(await page.locator('tbody tr').innerText()).toContain(kr(2_416_176));
    expect(await footer()).toMatch(new RegExp(`Summa, 1 överenskommelse\\s+${kr(2_416_176)}`));
    // The sort links keep the filter.
    expect(await page.locator('th[scope=col] a', { hasText: 'Namn' }).getAttribute('href')).toContain('tillstand=expired');

    await page.goto(`${t.baseUrl}/portfolj?tillstand=alla`);
    await session.accessible('/portfolj?tillstand=alla');
    expect(await rowNames()).toEqual(['Bromodellen', 'Kompletterande språkträning', 'Språkvänner', 'Vi Ses!']);
    const sums = await footer();
    for (const state of ['Under signering', 'Signerad', 'Gällande', 'Utgången']) expect(sums).toContain(`${state}, 1 överenskommelse`);
    expect(sums).toContain('Summa, alla 4 överenskommelser');

    // The CSV and the print view show the same selection and figures.
    const csv = await page.evaluate<string>(`fetch('/portfolj.csv?tillstand=expired').then((r) => r.text())`);
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('namn;parter;kategori;målgrupp;syfte;beräknat värde 2026 (kr);nämndens kostnad 2026 (kr);gäller till och med;tillstånd');
    expect(csv.trim().split('\r\n')).toHaveLength(2);
    expect(csv).toContain(';2416176;');
    await page.goto(`${t.baseUrl}/portfolj/utskrift`);
    await session.accessible('/portfolj/utskrift');
    // In force by default, without links.
    expect((await page.locator('table.portfolio tbody th[scope=row]').allInnerTexts()).map((n) => n.split('\n')[0]).sort()).toEqual(['Bromodellen', 'Kompletterande språkträning']);
    expect(await page.locator('table.portfolio tfoot').innerText()).toContain(kr(2_464_500 + 2_368_800));
  });

  it('does not scroll the page sideways at 1280 or at 390 px', async () => {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${t.baseUrl}/portfolj?tillstand=alla`);
      await session.accessible(`/portfolj at ${width} px`);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      if (width === 1280) {
        // At 1280 the table itself fits: nothing to scroll inside either.
        expect(await page.evaluate<boolean>(`(() => { const s = document.querySelector('.table-scroll'); return s.scrollWidth <= s.clientWidth; })()`)).toBe(true);
        await page.goto(`${t.baseUrl}/portfolj`);
        await screenshot(page, 'portfolj');
      } else {
        await page.goto(`${t.baseUrl}/portfolj`);
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
        await screenshot(page, 'portfolj-390');
      }
      await page.goto(`${t.baseUrl}/bevakning`);
      await session.accessible(`/bevakning at ${width} px`);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    }
    // The administration's tables too (the role checkboxes each beside its label).
    await session.signIn(TEST_ADMINISTRATOR.email);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${t.baseUrl}/administration`);
      await session.accessible(`/administration at ${width} px`);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      const [box, label] = await Promise.all([page.locator('.roles-form input[value=auditor]').first().boundingBox(), page.locator('.roles-form input[value=auditor] + label').first().boundingBox()]);
      expect(Math.abs((box?.y ?? 0) + (box?.height ?? 0) / 2 - ((label?.y ?? 0) + (label?.height ?? 0) / 2))).toBeLessThan(8);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await session.signIn('nina@example.se');
  });

  it('fills the yearly columns of existing rows in the migration as the engine projects them', async () => {
    const db = new DataSource({ type: 'postgres', url: t.db.ownerUrl });
    await db.initialize();
    try {
      const read = (): Promise<unknown[]> => db.query(`SELECT title, economics_from_year, yearly_total_kr, yearly_committee_cost_kr FROM agreement ORDER BY title`);
      const projected = await read();
      expect(projected).toContainEqual({ title: 'Bromodellen', economics_from_year: 2024, yearly_total_kr: ['2368800', '2416176', '2464500', '2513790'], yearly_committee_cost_kr: ['1658160', '1691323', '1725150', '1759653'] });
      const migration = new YearlyOverviewColumns1766000000000();
      const runner = db.createQueryRunner();
      try {
        await migration.down(runner);
        await migration.up(runner);
      } finally {
        await runner.release();
      }
      expect(await read()).toEqual(projected);
    } finally {
      await db.destroy();
    }
  });
});
