/**
 * Issue 15 in Chromium: the secretariat fills in a draft completely by keyboard (cost lines added
 * with "Lägg till rad", one removed again, follow-up duties, invoicing address, firmatecknare
 * chosen among those who may sign), saves, and once every party has signed the agreement has its
 * follow-up dates, on its page and on Bevakning. axe on every page; docs/screenshots/villkor.png.
 */
import type { Page } from 'playwright-core';
import { createBromodellenParties, sendEvent, type BromodellenParties } from '@test/support/factories';
import { screenshot } from './support/browser';
import { BrowserSession, withPasswords } from './support/session';
import { startWebTestApp, type WebTestApp } from './support/web-app';

jest.setTimeout(90_000);

describe('the terms form, by keyboard', () => {
  let t: WebTestApp;
  let p: BromodellenParties;
  const session = new BrowserSession(() => t);
  let page: Page;
  let id: string;

  beforeAll(async () => {
    t = await startWebTestApp('2026-11-02T08:00:00Z');
    p = await createBromodellenParties(t);
    await withPasswords(t, [[p.secretariat, ['secretariat']]]);
    const initiative = { title: 'Läxhjälp i Skäggetorp', proposedByOrganisationId: p.bilda.id, parties: [p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ organisationId: o.id })) };
    id = (await t.as(p.bildaSignatory.id).post('/agreements').send(initiative).expect(201)).body.id as string;
    await sendEvent(t, p, id, { type: 'ACCEPT_INITIATIVE' }).expect(200);
    await session.open();
    page = session.page;
  });

  afterAll(async () => {
    await session.close();
    await t?.close();
  });

  const focused = (): Promise<string> => page.evaluate<string>('(document.activeElement.getAttribute("aria-label") || document.activeElement.textContent || document.activeElement.name || "").trim()');
  const focusedName = (): Promise<string> => page.evaluate<string>('document.activeElement.getAttribute("name") || ""');

  /** Into the field by its label, then only keys. */
  async function type(label: string, text: string): Promise<void> {
    await page.getByLabel(label, { exact: true }).focus();
    const lines = text.split('\n');
    for (const [i, line] of lines.entries()) {
      if (i > 0) await page.keyboard.press('Enter');
      await page.keyboard.type(line);
    }
  }

  async function check(group: string, name: string): Promise<void> {
    await page.getByRole('group', { name: group, exact: true }).getByRole('checkbox', { name }).focus();
    await page.keyboard.press('Space');
  }

  it('is filled in, rows added and removed with the buttons, and saved', async () => {
    await session.signIn('nina@example.se');
    await page.goto(`${t.baseUrl}/overenskommelser/${id}/andra`);
    await session.accessible('ändra villkoren');

    await type('Syfte', 'Fler elever klarar skolan.\nFärre lämnar grundskolan utan betyg.');
    await type('Målgrupp', 'Elever i årskurs 6–9 i Skäggetorp.');
    await type('Verksamhet', 'Läxhjälp fyra kvällar i veckan.');
    await type('Antal platser', '40');
    await type('Diarienummer', 'AN 2026-0101');
    await type('Nämnd', 'Arbetsmarknadsnämnden');
    await type('Bidrag per år, part 1 (kr)', '1 658 160');
    await type('Bidrag per år, part 2 (kr)', '592 200');
    await type('Bidrag per år, part 3 (kr)', '118 440');
    // The shares follow the amounts while typing, as the server will derive them.
    expect(await page.locator('[data-derived-shares]').innerText()).toBe('Andelar enligt bidragen: Linköpings kommun 70\u00a0%, Studieförbundet Bilda Sydöst 25\u00a0%, Erikshjälpen Linköping 5\u00a0%');
    await type('Gäller från och med', '2026-12-01');
    await type('Gäller till och med', '2028-11-30');
    await type('Månader per förlängning', '24');
    await type('Högst antal förlängningar', '2');
    await type('Beslut senast, månader före utgången', '3');

    // Two cost rows are there; two more by the button, reached with Tab from the last amount.
    const costs: Array<[string, string]> = [
      ['Undervisning och handledning', '1 670 400'],
      ['Handledarstöd', '278 400'],
      ['Lokaler', '372 000'],
      ['Utbildningsmaterial', '48 000'],
    ];
    for (const [i, [label, amount]] of costs.entries()) {
      if (i >= 2) {
        await page.getByLabel(`Belopp per år, kostnad ${i} (kr)`, { exact: true }).focus();
        await page.keyboard.press('Tab');
        expect(await focused()).toBe(`Ta bort rad ${i} bland kostnaderna`);
        await page.keyboard.press('Tab');
        expect(await focused()).toBe('Lägg till rad bland kostnaderna');
        await page.keyboard.press('Enter');
        // The new row's first field has the focus, numbered after the others.
        expect(await focusedName()).toMatch(/^economics\.costLines\.\d+\.label$/);
        expect(await page.getByLabel(`Kostnad ${i + 1}`, { exact: true }).count()).toBe(1);
        await page.keyboard.type(label);
        await page.keyboard.press('Tab');
        await page.keyboard.type(amount);
      } else {
        await type(`Kostnad ${i + 1}`, label);
        await type(`Belopp per år, kostnad ${i + 1} (kr)`, amount);
      }
    }
    // One row too many, removed again: the focus goes on to the next row's first field.
    await page.getByRole('button', { name: 'Lägg till rad bland kostnaderna' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.type('Felaktig rad');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Ta bort rad 5 bland kostnaderna');
    await page.keyboard.press('Enter');
    expect(await page.getByLabel('Kostnad 5', { exact: true }).count()).toBe(0);
    expect(await focused()).toBe('Lägg till rad bland kostnaderna');
    await session.accessible('ändra villkoren (rader tillagda)');

    await type('Årlig uppräkning (%)', '2');
    await type('Fakturaadress', 'Linköpings kommun, Integration- och arbetsmarknadsförvaltningen\nSkanningcentralen 150Z\n581 81 LINKÖPING');
    await type('GLN-nummer', '7332776000001');
    await type('Organisationsnummer för fakturering', '212000-0449');
    await type('PEPPOL-ID', '0007:2120000449');
    await type('Referenskod', '150Z');
    await type('Märkning', 'IOP Läxhjälp samt faktureringsperiod');
    await type('Möten i samverkansgruppen per kalenderår, minst', '1');
    await type('Dag', '31');
    await page.getByLabel('Månad', { exact: true }).focus();
    await page.keyboard.type('mars');
    expect(await page.getByLabel('Månad', { exact: true }).inputValue()).toBe('3');

    // Only those who may sign are offered; one per party.
    const offered = await page.locator('#f-signatoryIds label').allInnerTexts();
    expect(offered).toEqual(['Bilda Firmatecknare (Studieförbundet Bilda Sydöst)', 'Erikshjälpen Firmatecknare (Erikshjälpen Linköping)', 'Mikaela Schullström (Linköpings kommun)']);
    for (const name of offered) await check('Firmatecknare', name);
    await check('Samverkansgrupp', 'Nämndsekreterare Nina (Linköpings kommun)');
    await check('Samverkansgrupp', 'Bilda Firmatecknare (Studieförbundet Bilda Sydöst)');
    await screenshot(page, 'villkor');

    await page.getByRole('button', { name: 'Spara villkoren' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/utfort=UPDATE_TERMS/);
    await session.accessible('överenskommelsen (villkoren sparade)');
    expect(await page.locator('h1').innerText()).toBe('Läxhjälp i Skäggetorp');

    const saved = (await t.admin().get(`/agreements/${id}`).expect(200)).body as {
      economics: { totalKr: number; costLines: Array<{ label: string; amountKr: number }> };
      parties: Array<{ shareBasisPoints: number }>;
      invoicing: Record<string, string>;
      followUp: { duties: unknown };
      signatories: Array<{ name: string }>;
    };
    expect(saved.economics.costLines.map((l) => [l.label, l.amountKr])).toEqual([
      ['Undervisning och handledning', 1_670_400],
      ['Handledarstöd', 278_400],
      ['Lokaler', 372_000],
      ['Utbildningsmaterial', 48_000],
    ]);
    expect(saved.economics.totalKr).toBe(2_368_800);
    expect(saved.parties.map((x) => x.shareBasisPoints)).toEqual([7000, 2500, 500]);
    expect(saved.invoicing).toMatchObject({ organisationNumber: '212000-0449', reference: '150Z', address: expect.stringContaining('Skanningcentralen 150Z') });
    expect(saved.followUp.duties).toEqual({ meetingsPerYear: 1, yearlyReport: { dueMonth: 3, dueDay: 31 } });
    expect(saved.signatories.map((s) => s.name).sort()).toEqual(['Bilda Firmatecknare', 'Erikshjälpen Firmatecknare', 'Mikaela Schullström']);
  });

  it('has its follow-up dates once every party has signed: on its page and on Bevakning', async () => {
    await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);
    for (const o of [p.kommun, p.bilda, p.erikshjalpen]) await sendEvent(t, p, id, { type: 'SIGN', organisationId: o.id }).expect(200);

    await page.goto(`${t.baseUrl}/overenskommelser/${id}`);
    await session.accessible('överenskommelsen (signerad)');
    const followUp = await page.locator('section[aria-labelledby="rubrik-uppfoljning"] table').innerText();
    expect(followUp).toContain('2026-12-31');
    expect(followUp).toContain('2027-03-31');

    await page.goto(`${t.baseUrl}/bevakning`);
    await session.accessible('/bevakning');
    const watch = await page.locator('main').innerText();
    expect(watch).toMatch(/2026-12-31[\s\S]*Läxhjälp i Skäggetorp/);
    expect(watch).toMatch(/uppföljningsmöte/);
  });
});
