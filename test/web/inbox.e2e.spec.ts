/**
 * Issue 15, Att göra, in a real browser: each role's first page after sign-in lists exactly what
 * waits for that person, oldest first, each link opens the page where it is done, and the count in
 * the navigation matches. The secretariat registers an initiative that came in on paper; it is then
 * waiting in Att göra and its history names the secretariat person, for whom and how it came in.
 * Nobody else may register one so (403 in Swedish). axe on every page; screenshots at 1280 and 390 px.
 */
import type { Page } from 'playwright-core';
import { enqueueMessage } from '@app/notifications/outbox.repository';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { bromodellenBody, createBromodellenParties, createPerson, sendEvent, type BromodellenParties } from '@test/support/factories';
import { amendmentBody, FOLLOW_UP_DUTIES } from '@test/support/follow-up-factories';
import { TEST_ADMINISTRATOR } from '@test/support/test-app';
import { screenshot } from './support/browser';
import { BrowserSession, withPasswords } from './support/session';
import { startWebTestApp, type WebTestApp } from './support/web-app';

jest.setTimeout(90_000);

describe('Att göra', () => {
  let t: WebTestApp;
  let p: BromodellenParties;
  let sam: { id: string };
  let auditor: { id: string };
  const session = new BrowserSession(() => t);
  let page: Page;
  const ids: Record<string, string> = {};

  const at = (day: string) => t.clock.freeze(`${day}T08:00:00Z`);
  /** Bromodellen's terms under another title; only Språkvänner names a samverkansgrupp (Sam). */
  const body = (title: string, overrides: Record<string, unknown> = {}) => bromodellenBody(p, { title, diarienummer: null, samverkansgruppIds: [], ...overrides });
  const propose = async (title: string, overrides: Record<string, unknown> = {}) =>
    (await t.as(p.bildaSignatory.id).post('/agreements').send(body(title, overrides)).expect(201)).body.id as string;
  const send = async (id: string, ...events: Array<Record<string, unknown> & { type: string }>) => {
    for (const e of events) await sendEvent(t, p, id, e).expect(200);
  };
  const signAll = (id: string) => send(id, { type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id })));

  /** Att göra as the page lists it: each item's tag and title, in order. */
  async function listed(): Promise<Array<[string, string]>> {
    const items = page.locator('.inbox-item');
    const out: Array<[string, string]> = [];
    for (let i = 0; i < (await items.count()); i += 1) out.push([await items.nth(i).locator('.tag').innerText(), await items.nth(i).locator('h2').innerText()]);
    return out;
  }

  /** The count in the navigation ('' when nothing waits). */
  const navCount = async (): Promise<string> => {
    const badge = page.locator('nav .nav-count');
    return (await badge.count()) === 0 ? '' : (await badge.innerText()).replace(/\s.*$/s, '');
  };

  /** Signs in, lands on Att göra (axe-clean), and each item's link opens its page without a refusal. */
  async function inboxOf(email: string, label: string): Promise<Array<[string, string]>> {
    await session.signIn(email);
    expect(new URL(page.url()).pathname).toBe('/att-gora');
    await session.accessible(`/att-gora (${label})`);
    const items = await listed();
    expect(await navCount()).toBe(items.length === 0 ? '' : String(items.length));
    const links = await page.locator('.inbox-item a.button').evaluateAll((as) => as.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute('href')));
    for (const href of links) {
      const response = await page.goto(`${t.baseUrl}${href}`);
      expect({ href, status: response?.status(), url: page.url() }).toEqual({ href, status: 200, url: `${t.baseUrl}${href}` });
    }
    await page.goto(`${t.baseUrl}/att-gora`);
    return items;
  }

  beforeAll(async () => {
    t = await startWebTestApp('2023-10-01T08:00:00Z');
    p = await createBromodellenParties(t);
    sam = await createPerson(t, { name: 'Sam Samverkan', email: 'sam@example.se', organisationId: p.bilda.id }, ['member']);
    auditor = await createPerson(t, { name: 'Revisor Rut', email: 'rut@example.se', organisationId: p.kommun.id }, ['auditor']);
    await withPasswords(t, [
      [p.secretariat, ['secretariat']],
      [p.kommunSignatory, ['signatory']],
      [p.bildaSignatory, ['signatory', 'member']],
      [p.ehSignatory, ['signatory', 'member']],
      [sam, ['member']],
      [auditor, ['auditor']],
      [{ id: t.administratorId }, ['administrator']],
    ]);
    // Signed in 2023: Bromodellen (its decision window opens in 2025), Hoppfull framtid (to 2026), Språkvänner (follow-up duties, Sam's samverkansgrupp).
    ids.bromodellen = await propose('Bromodellen');
    ids.hoppfull = await propose('Hoppfull framtid', { validity: { startDate: '2024-01-01', endDate: '2026-12-31' } });
    ids.sprakvanner = await propose('Språkvänner', { validity: { startDate: '2024-01-01', endDate: '2026-12-31' }, followUp: FOLLOW_UP_DUTIES, samverkansgruppIds: [sam.id] });
    for (const id of [ids.bromodellen, ids.hoppfull, ids.sprakvanner]) await signAll(id);
    // June 2025: the sweep opens Bromodellen's decision and marks Språkvänner's 2024 meeting and report overdue.
    at('2025-06-02');
    await t.started.app.get(TimerSweeperService).sweep();
    await send(ids.bromodellen, { type: 'CONSENT_TO_EXTENSION', organisationId: p.bilda.id });
    at('2025-06-03');
    ids.sprak = await propose('Kompletterande språkträning');
    await send(ids.sprak, { type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, { type: 'RETURN_TO_DRAFT', organisationId: p.erikshjalpen.id, reason: 'Vår andel stämmer inte.' });
    at('2025-06-04');
    ids.laxhjalp = await propose('Läxhjälp i Skäggetorp');
    at('2025-06-05');
    ids.viSes = await propose('Vi ses!');
    await send(ids.viSes, { type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, { type: 'SIGN', organisationId: p.bilda.id });
    at('2025-06-06');
    await t.as(p.secretariat.id).post(`/agreements/${ids.hoppfull}/amendments`).send(amendmentBody(p, 2026)).expect(201);
    // For the administrator: an e-mail the server refused, and an open incident.
    await t.dataSource.transaction(async (manager) => {
      await enqueueMessage(manager, { idempotencyKey: 'test:inbox:1', case: null, kind: 'test', recipient: 'fel@example.se', subject: 'Påminnelse som studsade', text: 'x', html: 'x' }, new Date('2025-05-20T08:00:00Z'), 'example.se');
      await manager.query(`UPDATE outbox_message SET state = 'failed', last_error = '550 Mailbox unavailable' WHERE idempotency_key = 'test:inbox:1'`);
      await manager.query(
        `INSERT INTO incident (source, row_id, summary, error, attempts, opened_at, last_seen_at) VALUES ('timer', 999, 'Datumet kunde inte avfyras', 'Testfel', 5, '2025-05-25T08:00:00Z', '2025-05-25T08:00:00Z')`,
      );
    });
    at('2025-06-09');
    await session.open();
    page = session.page;
  });

  afterAll(async () => {
    await session.close();
    await t?.close();
  });

  it('shows each firmatecknare exactly their own signature and consents, oldest first, with working links', async () => {
    const waiting: Array<[string, string]> = [
      ['Ditt samtycke till förlängningen', 'Bromodellen'],
      ['Din underskrift', 'Vi ses!'],
      ['Ditt samtycke till tillägget', 'Hoppfull framtid'],
    ];
    expect(await inboxOf('mikaela@example.se', 'kommunens firmatecknare')).toEqual(waiting);
    expect(await page.locator('.inbox-item').first().innerText()).toContain('senast 2025-09-30');
    expect(await inboxOf('eh@example.se', 'Erikshjälpens firmatecknare')).toEqual(waiting);
    // Bilda has signed Vi ses! and consented to Bromodellen's extension: only the amendment waits.
    expect(await inboxOf('bilda@example.se', 'Bildas firmatecknare')).toEqual([['Ditt samtycke till tillägget', 'Hoppfull framtid']]);
    expect(await page.getByRole('link', { name: 'Godkänn tillägg – Hoppfull framtid' }).getAttribute('href')).toBe(`/overenskommelser/${ids.hoppfull}/handelser/AGREE_TO_AMENDMENT`);
  });

  it('shows the samverkansgrupp its overdue follow-up, and the administrator the failed e-mail and open incidents', async () => {
    expect(await inboxOf('sam@example.se', 'samverkansgrupp')).toEqual([
      ['Försenad uppföljning', 'Språkvänner'],
      ['Försenad uppföljning', 'Språkvänner'],
    ]);
    const text = await page.locator('.inbox').innerText();
    expect(text).toMatch(/Uppföljningsmötet för 2024 skulle ha hållits senast 2024-12-31[\s\S]*Årsrapporten för 2024 skulle ha lämnats senast 2025-03-31/);
    expect(await page.getByRole('link', { name: 'Lämna årsrapporten – Språkvänner' }).getAttribute('href')).toBe(`/overenskommelser/${ids.sprakvanner}/uppfoljning/arsrapport`);
    expect(await inboxOf(TEST_ADMINISTRATOR.email, 'administratör')).toEqual([
      ['E-post som inte levererades', 'Påminnelse som studsade'],
      ['Öppen incident', 'Datumet kunde inte avfyras'],
    ]);
    expect(await page.locator('.inbox').innerText()).toContain('Till fel@example.se: 550 Mailbox unavailable');
    expect(await inboxOf('rut@example.se', 'revisor')).toEqual([]);
    expect(await page.locator('main').innerText()).toContain('Inget väntar på dig just nu.');
  });

  it('lets the secretariat register an initiative that came in on paper: it waits in Att göra, and the history says for whom and how', async () => {
    expect(await inboxOf('nina@example.se', 'nämndkansliet')).toEqual([
      ['Återfört utkast', 'Kompletterande språkträning'],
      ['Nytt initiativ', 'Läxhjälp i Skäggetorp'],
    ]);
    expect(await page.locator('.inbox-item').first().innerText()).toContain('Återfört till utkast av Erikshjälpen Linköping med skälet: Vår andel stämmer inte.');
    await page.getByRole('link', { name: 'Nytt initiativ', exact: true }).click();
    await page.waitForURL(/\/initiativ\/ny$/);
    await session.accessible('/initiativ/ny (nämndkansliet)');
    await page.getByRole('button', { name: 'Registrera initiativet' }).click();
    await session.accessible('/initiativ/ny (nämndkansliet, fel)');
    expect(await page.locator('#f-proposedByOrganisationId-fel').innerText()).toContain('Välj den organisation som tar initiativet.');
    expect(await page.locator('#f-receivedVia-fel').innerText()).toContain('Välj hur initiativet kom in');
    await page.getByLabel('Organisation som tar initiativet').selectOption({ label: 'Erikshjälpen Linköping' });
    await page.getByLabel('Hur initiativet kom in').selectOption({ label: 'Papper' });
    await page.getByLabel('Mottaget den (frivilligt)').fill('2025-06-01');
    await page.getByLabel('Namn på överenskommelsen').fill('Samtalsgrupper för föräldrar');
    await page.getByLabel('Syfte').fill('Föräldrar stöttar varandra.');
    await page.getByRole('button', { name: 'Registrera initiativet' }).click();
    await page.waitForURL(/utfort=PROPOSE_INITIATIVE/);
    await session.accessible('initiativet (registrerat på papper)');
    expect(await page.locator('h1').innerText()).toBe('Samtalsgrupper för föräldrar');
    const history = await page.locator('.timeline').innerText();
    expect(history).toContain('Nämndsekreterare Nina (nämndkansliet, Linköpings kommun)');
    expect(history).toContain('Registrerat av nämndkansliet för Erikshjälpen Linköping: initiativet kom in på papper (mottaget 2025-06-01).');
    const id = new URL(page.url()).pathname.split('/').pop() as string;
    const [first] = (await t.admin().get(`/agreements/${id}/history`).expect(200)).body as Array<{ actorName: string; actorRole: string; payload: Record<string, unknown> }>;
    expect(first).toMatchObject({ actorName: 'Nämndsekreterare Nina', actorRole: 'secretariat', payload: { receivedVia: 'paper', receivedOn: '2025-06-01', onBehalfOf: { organisationId: p.erikshjalpen.id, name: 'Erikshjälpen Linköping' } } });

    await page.getByRole('link', { name: /^Att göra/ }).click();
    await page.waitForURL(/\/att-gora$/);
    // It waits since the day it came in, so it is the oldest.
    expect(await listed()).toEqual([
      ['Nytt initiativ', 'Samtalsgrupper för föräldrar'],
      ['Återfört utkast', 'Kompletterande språkträning'],
      ['Nytt initiativ', 'Läxhjälp i Skäggetorp'],
    ]);
    expect(await navCount()).toBe('3');
    expect(await page.locator('.inbox-item').first().innerText()).toMatch(/sedan 2025-06-01[\s\S]*Initiativ från Erikshjälpen Linköping\./);
    await session.accessible('/att-gora (nämndkansliet, efter registreringen)');
    await screenshot(page, 'att-gora');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await session.accessible('/att-gora (390 px)');
    await screenshot(page, 'att-gora-390');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('refuses registering on behalf to anyone but the secretariat (403 in Swedish), and a bad channel or organisation (400 in Swedish)', async () => {
    const received = (overrides: Record<string, unknown> = {}) => body('Inkommet', { proposedByOrganisationId: p.erikshjalpen.id, receivedVia: 'email', ...overrides });
    for (const personId of [auditor.id, t.administratorId, p.kommunSignatory.id]) {
      const refused = await t.as(personId).post('/agreements').send(received()).expect(403);
      expect(refused.body.message).toContain('nämndkansliet (för ett initiativ som kommit in på papper, med e-post eller på annat sätt)');
    }
    // A member proposes for their own organisation, not "as received".
    await t.as(p.ehSignatory.id).post('/agreements').send(received()).expect(403);
    const channel = await t.as(p.secretariat.id).post('/agreements').send(received({ receivedVia: 'fax' })).expect(400);
    expect(JSON.stringify(channel.body)).toContain('receivedVia ska vara ett av: paper, email, other (papper, e-post, annat)');
    const unknown = await t.as(p.secretariat.id).post('/agreements').send(received({ proposedByOrganisationId: '00000000-0000-4000-8000-000000000000' })).expect(400);
    expect(JSON.stringify(unknown.body)).toContain('Organisationen finns inte.');
    const future = await t.as(p.secretariat.id).post('/agreements').send(received({ receivedOn: '2025-07-01' })).expect(400);
    expect(JSON.stringify(future.body)).toContain('idag eller tidigare');
    // Without saying how it came in, the secretariat does not propose.
    await t.as(p.secretariat.id).post('/agreements').send(body('Eget förslag', { proposedByOrganisationId: p.erikshjalpen.id })).expect(403);
    // The navigation's marker is only filled in on pages: a JSON answer that happens to hold its text is sent as it is.
    const marked = await t.as(p.secretariat.id).post('/agreements').send(received({ title: 'Inkommet <!--att-gora-antal-->' })).expect(201);
    expect(marked.body.title).toBe('Inkommet <!--att-gora-antal-->');
    // The form itself is not offered to an auditor.
    await session.signIn('rut@example.se');
    const form = await page.goto(`${t.baseUrl}/initiativ/ny`);
    expect(form?.status()).toBe(403);
    expect(await page.locator('main').innerText()).toContain('registreras av nämndkansliet');
  });

  it('found no accessibility violation on any page', () => {
    expect(session.violations()).toEqual([]);
  });
});
