/**
 * Issue 15, the notices' side in the browser and over HTTP: a signatory follows the signing link of
 * their e-mail while signed out, goes through sign-in and lands on the signing page; Mina
 * inställningar and Brevlådan pass axe; an open redirect is refused; and every link in every
 * e-mail, the weekly digest and the calendar feed opens an HTML page once signed in.
 */
import type { Page } from 'playwright-core';
import request from 'supertest';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { amendmentBody } from '@test/support/follow-up-factories';
import { bromodellenBody, createBromodellenParties, sendEvent, type BromodellenParties } from '@test/support/factories';
import { encodeForm } from './support/http-session';
import { screenshot } from './support/browser';
import { BrowserSession, PASSWORD, withPasswords } from './support/session';
import { startWebTestApp, type WebTestApp } from './support/web-app';

jest.setTimeout(120_000);

interface Row {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  ics: string | null;
}

/** Every address in a text, an HTML body (href) or an iCalendar file (URL:, unfolded). */
function linksIn(text: string): string[] {
  const unfolded = text.replace(/\r?\n[ \t]/g, '');
  return [...unfolded.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0].replace(/&amp;/g, '&').replace(/[.,;:)]+$/, ''));
}

describe('notices on the web: links that open pages, through sign-in', () => {
  let t: WebTestApp;
  let p: BromodellenParties;
  const session = new BrowserSession(() => t);
  let page: Page;
  let id: string;

  const messages = (where = 'true', values: unknown[] = []): Promise<Row[]> =>
    t.dataSource.query(`SELECT id::text, kind, recipient, subject, text_body, html_body, ics FROM outbox_message WHERE ${where} ORDER BY id`, values);

  beforeAll(async () => {
    t = await startWebTestApp('2023-09-15T08:00:00Z');
    p = await createBromodellenParties(t);
    await withPasswords(t, [
      [p.secretariat, ['secretariat']],
      [p.kommunSignatory, ['signatory']],
      [p.bildaSignatory, ['signatory', 'member']],
      [p.ehSignatory, ['signatory', 'member']],
      [{ id: t.administratorId }, ['administrator']],
    ]);
    id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }]) await sendEvent(t, p, id, body).expect(200);
    await session.open();
    page = session.page;
  });

  afterAll(async () => {
    await session.close();
    await t?.close();
  });

  it('takes a signed-out signatory from the e-mail\'s signing link through sign-in to the signing page, and signing works', async () => {
    const [mail] = await messages(`kind = 'sent_for_signing' AND recipient = $1`, ['mikaela@example.se']);
    const link = linksIn(mail.text_body).find((l) => l.endsWith('/handelser/SIGN')) as string;
    expect(link).toBe(`${t.baseUrl}/overenskommelser/${id}/handelser/SIGN`);

    await session.context.clearCookies();
    await page.goto(link);
    expect(new URL(page.url()).pathname).toBe('/logga-in');
    expect(new URL(page.url()).searchParams.get('tillbaka')).toBe(`/overenskommelser/${id}/handelser/SIGN`);
    await session.accessible('/logga-in?tillbaka=…');
    await page.getByLabel('E-postadress').fill('mikaela@example.se');
    await page.getByLabel('Lösenord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe(`/overenskommelser/${id}/handelser/SIGN`);
    await session.accessible('signeringssidan');
    await page.getByRole('button', { name: 'Signera', exact: true }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe(`/overenskommelser/${id}`);
    const history = (await t.admin().get(`/agreements/${id}/history`).expect(200)).body as Array<{ eventType: string; actorName: string }>;
    expect(history.at(-1)).toMatchObject({ eventType: 'SIGN', actorName: 'Mikaela Schullström' });
  });

  it('lets a person choose their notices and manage their calendar link on Mina inställningar, axe-clean', async () => {
    await page.getByRole('link', { name: 'Mina inställningar' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/mina-installningar');
    await session.accessible('/mina-installningar');
    expect(await page.getByLabel('Påminnelser om datum – alltid på').isDisabled()).toBe(true);
    await page.getByLabel('Ett tillägg har föreslagits').uncheck();
    await page.getByRole('button', { name: 'Spara val av e-post' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').first().textContent()).toContain('Dina val av e-post är sparade.');
    expect(await page.getByLabel('Ett tillägg har föreslagits').isChecked()).toBe(false);
    expect((await t.as(p.kommunSignatory.id).get('/me/notice-preferences').expect(200)).body.off).toEqual(['amendment_proposed']);

    await page.getByRole('button', { name: 'Skapa kalenderlänk' }).click();
    await page.waitForLoadState('load');
    const feedUrl = await page.getByLabel('Din nya kalenderlänk').inputValue();
    expect(feedUrl).toMatch(new RegExp(`^${t.baseUrl}/calendar\\.ics\\?token=[A-Za-z0-9_-]{43}$`));
    await session.accessible('/mina-installningar (ny kalenderlänk)');
    await screenshot(page, 'mina-installningar');
    expect(await page.getByRole('button', { name: 'Kopiera länken' }).isVisible()).toBe(true);
    await request(feedUrl).get('').expect(200).expect('Content-Type', /text\/calendar/);
    // A reload still shows it (same link); a new page load after the cookie is gone does not.
    await page.reload();
    expect(await page.getByLabel('Din nya kalenderlänk').inputValue()).toBe(feedUrl);
    await page.getByRole('button', { name: 'Återkalla kalenderlänken' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByText('Du har ingen kalenderlänk.').isVisible()).toBe(true);
    await request(feedUrl).get('').expect(404);
  });

  it('shows a person their own messages in Brevlådan, and the offices every message, axe-clean', async () => {
    await page.goto(`${t.baseUrl}/brevlada`);
    await session.accessible('/brevlada');
    const mine = await messages(`recipient = $1`, ['mikaela@example.se']);
    expect(await page.locator('tbody tr').count()).toBe(mine.length);
    await page.getByRole('link', { name: 'Att signera: IOP Bromodellen' }).click();
    await page.waitForLoadState('load');
    await session.accessible('/brevlada/:id');
    expect(await page.getByRole('link', { name: `${t.baseUrl}/overenskommelser/${id}/handelser/SIGN` }).count()).toBe(1);
    // Another person's message is not found, exactly like a missing one.
    const [other] = await messages(`recipient = $1`, ['bilda@example.se']);
    expect((await page.goto(`${t.baseUrl}/brevlada/${other.id}`))?.status()).toBe(404);

    await session.signIn('nina@example.se');
    await page.goto(`${t.baseUrl}/brevlada`);
    await session.accessible('/brevlada (nämndkansliet)');
    await screenshot(page, 'brevlada');
    expect(await page.getByRole('columnheader', { name: 'Mottagare' }).count()).toBe(1);
  });

  it('refuses to send anyone off the site after sign-in', async () => {
    for (const evil of ['//evil.example/', '/\\evil.example/', 'https://evil.example/']) {
      const form = await request(t.baseUrl).get(`/logga-in?tillbaka=${encodeURIComponent(evil)}`).expect(200);
      expect(form.text).not.toContain('name="tillbaka"');
      const answer = await request(t.baseUrl)
        .post('/logga-in')
        .set('Origin', t.baseUrl)
        .type('form')
        .send(encodeForm([['email', 'nina@example.se'], ['password', PASSWORD], ['tillbaka', evil]]))
        .expect(303);
      // To the person's start page, on this site.
      const location = String(answer.headers.location);
      expect([evil, /^\/[a-z]/.test(location), location.includes('evil')]).toEqual([evil, true, false]);
    }
  });

  it('opens an HTML page for every link in every e-mail, the weekly digest and the calendar feed, through sign-in', async () => {
    // The rest of the story: every party signs, an amendment is proposed and declined, the decision window opens with the digest of that Monday.
    for (const o of [p.bilda, p.erikshjalpen]) await sendEvent(t, p, id, { type: 'SIGN', organisationId: o.id }).expect(200);
    t.clock.freeze('2024-06-03T08:00:00Z');
    await t.as(p.secretariat.id).post(`/agreements/${id}/amendments`).send(amendmentBody(p, 2025)).expect(201);
    await sendEvent(t, p, id, { type: 'REFUSE_AMENDMENT', organisationId: p.erikshjalpen.id, reason: 'Ryms inte.' }).expect(200);
    t.clock.freeze('2025-06-02T07:30:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
    const rows = await messages();
    const kinds = new Set(rows.map((r) => r.kind));
    for (const kind of ['initiative_received', 'initiative_receipt', 'sent_for_signing', 'fully_signed', 'amendment_proposed', 'amendment_declined', 'extension_decision_opened', 'decision_upcoming', 'weekly_digest']) {
      expect([kind, kinds.has(kind)]).toEqual([kind, true]);
    }
    const issued = (await t.as(p.secretariat.id).post(`/people/${p.secretariat.id}/calendar-token`).expect(201)).body as { feedUrl: string };
    const feed = (await request(issued.feedUrl).get('').expect(200)).text;

    // Who follows each link: the person it was sent to, the secretariat for its functional address and the digest.
    const people: Record<string, string> = { 'kansli@example.se': 'nina@example.se', 'namndkansli@example.se': 'nina@example.se' };
    const links = new Map<string, string>();
    for (const r of rows) for (const l of [...linksIn(r.text_body), ...linksIn(r.html_body), ...linksIn(r.ics ?? '')]) links.set(l, people[r.recipient] ?? r.recipient);
    for (const l of linksIn(feed).filter((l) => !l.includes('calendar.ics'))) links.set(l, 'nina@example.se');
    expect(links.size).toBeGreaterThan(5);

    const cookies = new Map<string, string>();
    for (const [link, who] of links) {
      expect(link.startsWith(t.baseUrl)).toBe(true);
      const path = link.slice(t.baseUrl.length);
      expect([path, path.startsWith('/agreements')]).toEqual([path, false]);
      // Signed out: to the sign-in page, which returns here.
      const out = await request(t.baseUrl).get(path).set('Accept', 'text/html');
      expect([path, out.status, out.headers.location]).toEqual([path, 303, `/logga-in?tillbaka=${encodeURIComponent(path)}`]);
      const signedIn = await request(t.baseUrl).post('/logga-in').set('Origin', t.baseUrl).type('form').send(encodeForm([['email', who], ['password', PASSWORD], ['tillbaka', path]]));
      expect([path, signedIn.status, signedIn.headers.location]).toEqual([path, 303, path]);
      const cookie = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('iop_session=')) ?? cookies.get(who) ?? '';
      cookies.set(who, cookie);
      // Followed as a browser would: a page that redirects (a signing page already signed) goes on to the agreement's.
      let at = path;
      let answer = await request(t.baseUrl).get(at).set('Cookie', cookie).set('Accept', 'text/html');
      for (let hops = 0; answer.status === 303 && hops < 3; hops += 1) {
        at = String(answer.headers.location);
        answer = await request(t.baseUrl).get(at).set('Cookie', cookie).set('Accept', 'text/html');
      }
      expect([path, who, answer.status, answer.headers['content-type']]).toEqual([path, who, 200, expect.stringMatching(/^text\/html/)]);
      expect(answer.text).toContain('<html lang="sv">');
    }
  });
});
