/**
 * Issue 15's working week, in Chromium with axe on every page: an initiative arrives by the web and
 * another is registered from paper; the secretariat finds both in Att göra and takes one up; drafts
 * it completely in the form (follow-up duties included) and sends it for signing; each
 * firmatecknare gets the e-mail (over SMTP), follows its link signed out through sign-in to the
 * signing page and signs; everyone gets the fully-signed notice; the first follow-up date then
 * shows on the agreement's page and in Bevakning.
 */
import type { Page } from 'playwright-core';
import { OutboxSenderService } from '@app/notifications/outbox-sender.service';
import { createBromodellenParties, type BromodellenParties } from '@test/support/factories';
import { SmtpSink, type Received } from '@test/support/smtp-sink';
import { BrowserSession, PASSWORD, withPasswords } from './support/session';
import { startWebTestApp, type WebTestApp } from './support/web-app';

jest.setTimeout(180_000);

const SECRETARIAT = 'namndkansli@linkoping.example.se';

/** The page links in a message's text (the e-mails end sentences right after them). */
const linksIn = (text: string): string[] => [...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0].replace(/[.,;:)]+$/, ''));

describe('a working week in the secretariat, in the browser', () => {
  const sink = new SmtpSink();
  let t: WebTestApp;
  let p: BromodellenParties;
  const session = new BrowserSession(() => t);
  let page: Page;
  let agreementUrl = '';

  /** Delivers what the outbox holds now; the messages that arrived. */
  async function deliver(): Promise<Received[]> {
    const before = sink.received.length;
    await t.started.app.get(OutboxSenderService).deliverDue();
    return sink.received.slice(before);
  }

  const to = (mails: Received[], address: string): Received[] => mails.filter((m) => m.rcptTo.includes(address));

  async function visit(path: string, label = path): Promise<void> {
    const response = await page.goto(`${t.baseUrl}${path}`);
    expect(response?.status()).toBe(200);
    await session.accessible(label);
  }

  async function submit(name: string, label: string): Promise<void> {
    await page.getByRole('button', { name, exact: true }).click();
    await page.waitForLoadState('load');
    await session.accessible(label);
  }

  beforeAll(async () => {
    await sink.listen();
    t = await startWebTestApp('2026-11-02T07:30:00Z', { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, SECRETARIAT_EMAIL: SECRETARIAT });
    p = await createBromodellenParties(t);
    await withPasswords(t, [
      [p.secretariat, ['secretariat']],
      [p.kommunSignatory, ['signatory']],
      [p.bildaSignatory, ['signatory', 'member']],
      [p.ehSignatory, ['signatory', 'member']],
    ]);
    await session.open();
    page = session.page;
  });

  afterAll(async () => {
    await session.close();
    await t?.close();
    await sink.close();
  });

  it('Monday: an initiative arrives by the web, and the secretariat and the proposer are told', async () => {
    await session.signIn('bilda@example.se');
    expect(new URL(page.url()).pathname).toBe('/att-gora');
    await session.accessible('/att-gora (Bilda)');
    await visit('/initiativ/ny');
    await page.getByLabel('Namn på överenskommelsen').fill('Läxhjälp i Skäggetorp');
    await page.getByLabel('Syfte').fill('Fler elever klarar skolan.\nFärre lämnar grundskolan utan betyg.');
    await submit('Skicka initiativet', 'initiativet (skickat)');
    expect(await page.locator('h1').innerText()).toBe('Läxhjälp i Skäggetorp');

    const mails = await deliver();
    expect(to(mails, SECRETARIAT).map((m) => m.mail.subject)).toContain('Nytt initiativ: IOP Läxhjälp i Skäggetorp');
    expect(to(mails, 'bilda@example.se').map((m) => m.mail.subject)).toEqual(['Kvitto: initiativet Läxhjälp i Skäggetorp har kommit in']);
  });

  it('Tuesday: the secretariat registers one that came on paper, and finds both in Att göra, oldest first', async () => {
    await session.signIn('nina@example.se');
    expect(new URL(page.url()).pathname).toBe('/att-gora');
    await visit('/initiativ/ny', '/initiativ/ny (nämndkansliet)');
    await page.getByLabel('Organisation som tar initiativet').selectOption({ label: 'Erikshjälpen Linköping' });
    await page.getByLabel('Hur initiativet kom in').selectOption({ label: 'Papper' });
    await page.getByLabel('Mottaget den (frivilligt)').fill('2026-10-29');
    await page.getByLabel('Namn på överenskommelsen').fill('Samtalsgrupper för föräldrar');
    await page.getByLabel('Syfte').fill('Föräldrar stöttar varandra.');
    await submit('Registrera initiativet', 'initiativet (registrerat)');
    await deliver();

    await page.getByRole('link', { name: /^Att göra/ }).click();
    await page.waitForLoadState('load');
    await session.accessible('/att-gora (nämndkansliet)');
    const items = await page.locator('main li h3, main li h2').allInnerTexts();
    const paper = items.findIndex((text) => text.includes('Samtalsgrupper för föräldrar'));
    const web = items.findIndex((text) => text.includes('Läxhjälp i Skäggetorp'));
    // Received on paper on 29 October, before the web's on 2 November.
    expect(paper).toBeGreaterThanOrEqual(0);
    expect(web).toBeGreaterThan(paper);
    await page.getByRole('link', { name: 'Ta upp eller avböj – Läxhjälp i Skäggetorp' }).click();
    await page.waitForLoadState('load');
    agreementUrl = page.url();
    await session.accessible('initiativet (nämndkansliet)');
    await submit('Ta upp initiativet', 'utkastet');
    expect(await page.locator('h1 + .lead').innerText()).toContain('Utkast');
  });

  it('Wednesday: drafts it completely in the form, follow-up duties included, and sends it for signing', async () => {
    await page.getByRole('link', { name: 'Ändra villkoren' }).click();
    await page.waitForLoadState('load');
    await session.accessible('ändra villkoren');
    await page.getByLabel('Målgrupp').fill('Elever i årskurs 6–9 i Skäggetorp.');
    await page.getByLabel('Verksamhet').fill('Läxhjälp fyra kvällar i veckan.');
    await page.getByLabel('Antal platser').fill('40');
    await page.getByLabel('Diarienummer').fill('AN 2026-0101');
    await page.getByLabel('Nämnd', { exact: true }).fill('Arbetsmarknadsnämnden');
    const parties: Array<[string, string]> = [
      ['Linköpings kommun', '1 658 160'],
      ['Studieförbundet Bilda Sydöst', '592 200'],
      ['Erikshjälpen Linköping', '118 440'],
    ];
    for (const [i, [name, amount]] of parties.entries()) {
      if ((await page.getByLabel(`Part ${i + 1}`, { exact: true }).count()) === 0) await page.getByRole('button', { name: 'Lägg till rad bland parterna' }).click();
      await page.getByLabel(`Part ${i + 1}`, { exact: true }).selectOption({ label: name });
      await page.getByLabel(`Bidrag per år, part ${i + 1} (kr)`, { exact: true }).fill(amount);
    }
    const costs: Array<[string, string]> = [
      ['Undervisning och handledning', '1 670 400'],
      ['Handledarstöd', '278 400'],
      ['Lokaler', '372 000'],
      ['Utbildningsmaterial', '48 000'],
    ];
    for (const [i, [label, amount]] of costs.entries()) {
      if ((await page.getByLabel(`Kostnad ${i + 1}`, { exact: true }).count()) === 0) await page.getByRole('button', { name: 'Lägg till rad bland kostnaderna' }).click();
      await page.getByLabel(`Kostnad ${i + 1}`, { exact: true }).fill(label);
      await page.getByLabel(`Belopp per år, kostnad ${i + 1} (kr)`, { exact: true }).fill(amount);
    }
    await page.getByLabel('Årlig uppräkning (%)').fill('2');
    await page.getByLabel('Gäller från och med').fill('2027-01-01');
    await page.getByLabel('Gäller till och med').fill('2028-12-31');
    await page.getByLabel('Månader per förlängning').fill('24');
    await page.getByLabel('Högst antal förlängningar').fill('2');
    await page.getByLabel('Beslut senast, månader före utgången').fill('3');
    await page.getByLabel('Fakturaadress').fill('Linköpings kommun\nSkanningcentralen 150Z\n581 81 LINKÖPING');
    await page.getByLabel('GLN-nummer').fill('7332776000001');
    await page.getByLabel('Organisationsnummer för fakturering').fill('212000-0449');
    await page.getByLabel('Möten i samverkansgruppen per kalenderår, minst').fill('1');
    await page.getByLabel('Dag', { exact: true }).fill('31');
    await page.getByLabel('Månad', { exact: true }).selectOption({ label: 'mars' });
    await submit('Spara villkoren', 'utkastet (villkoren sparade)');
    expect(await page.locator('.flash').innerText()).toContain('Ändra villkor');

    // The parties saved, their firmatecknare and people can be chosen.
    await page.getByRole('link', { name: 'Ändra villkoren' }).click();
    await page.waitForLoadState('load');
    const signers = page.getByRole('group', { name: 'Firmatecknare', exact: true });
    for (const name of ['Mikaela Schullström (Linköpings kommun)', 'Bilda Firmatecknare (Studieförbundet Bilda Sydöst)', 'Erikshjälpen Firmatecknare (Erikshjälpen Linköping)']) {
      await signers.getByRole('checkbox', { name }).check();
    }
    await page.getByRole('group', { name: 'Samverkansgrupp', exact: true }).getByRole('checkbox', { name: 'Nämndsekreterare Nina (Linköpings kommun)' }).check();
    await submit('Spara villkoren', 'utkastet (firmatecknare valda)');

    // The expected next step is the page's first, primary action.
    expect(await page.locator('.action-next h3').innerText()).toBe('Skicka för signering');
    await submit('Skicka för signering', 'under signering');
    expect(await page.locator('h1 + .lead').innerText()).toContain('signering');
  });

  it('Thursday: each firmatecknare gets the e-mail, follows its link through sign-in to the signing page and signs', async () => {
    const mails = await deliver();
    const signers: Array<[string, string]> = [
      ['mikaela@example.se', 'Linköpings kommun'],
      ['bilda@example.se', 'Studieförbundet Bilda Sydöst'],
      ['eh@example.se', 'Erikshjälpen Linköping'],
    ];
    const id = new URL(agreementUrl).pathname.split('/').pop() as string;
    for (const [address, party] of signers) {
      const [mail] = to(mails, address).filter((m) => m.mail.subject === 'Att signera: IOP Läxhjälp i Skäggetorp');
      expect(mail?.mail.text).toContain(`ombeds signera för ${party}`);
      const link = linksIn(mail.mail.text ?? '').find((l) => l.endsWith('/handelser/SIGN')) as string;
      expect(link).toBe(`${t.baseUrl}/overenskommelser/${id}/handelser/SIGN`);

      await session.context.clearCookies();
      await page.goto(link);
      expect(new URL(page.url()).pathname).toBe('/logga-in');
      await session.accessible(`inloggning från e-postens länk (${address})`);
      await page.getByLabel('E-postadress').fill(address);
      await page.getByLabel('Lösenord').fill(PASSWORD);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page.waitForLoadState('load');
      expect(new URL(page.url()).pathname).toBe(`/overenskommelser/${id}/handelser/SIGN`);
      await session.accessible(`signeringssidan (${address})`);
      await submit('Signera', `signerad (${address})`);
      expect(new URL(page.url()).pathname).toBe(`/overenskommelser/${id}`);
    }
  });

  it('Friday: everyone is told it is signed, and the first follow-up date is on its page and in Bevakning', async () => {
    const mails = await deliver();
    for (const address of ['mikaela@example.se', 'bilda@example.se', 'eh@example.se', SECRETARIAT]) {
      const signed = to(mails, address).find((m) => m.mail.subject === 'Signerad av alla parter: IOP Läxhjälp i Skäggetorp');
      expect(signed?.mail.text).toContain('gäller från och med 2027-01-01 till och med 2028-12-31');
    }
    await session.signIn('nina@example.se');
    await page.goto(agreementUrl);
    await session.accessible('överenskommelsen (signerad)');
    const keyDates = await page.locator('main').innerText();
    // The first year's meeting of the samverkansgrupp, due by the end of 2027.
    expect(keyDates).toContain('2027-12-31');
    await visit('/bevakning', '/bevakning (nämndkansliet)');
    const watch = await page.locator('main').innerText();
    expect(watch).toContain('Läxhjälp i Skäggetorp');
    expect(watch).toContain('2027-01-01');
  });

  it('found no accessibility violation on any page of the week', () => {
    expect(session.checked.size).toBeGreaterThanOrEqual(15);
    expect(session.violations()).toEqual([]);
  });
});
