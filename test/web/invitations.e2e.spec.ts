/**
 * Issue 15, account invitations in Chromium: an administrator adds a person with a role, the
 * invitation leaves through the outbox to a real SMTP server on loopback, its one-time link opens
 * the page to choose a password (under the password policy), and the person signs in with it. A used,
 * replaced, expired or unknown link is refused with a Swedish page (4xx). Also: the favicon, and
 * role messages in words. axe on every page.
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { InvitationsService } from '@app/auth/invitations.service';
import { OutboxSenderService } from '@app/notifications/outbox-sender.service';
import { createBromodellenParties, createPerson, type BromodellenParties } from '@test/support/factories';
import { SmtpSink } from '@test/support/smtp-sink';
import { TEST_ADMINISTRATOR } from '@test/support/test-app';
import { HttpSession } from './support/http-session';
import { BrowserSession, withPasswords } from './support/session';
import { startWebTestApp, type WebTestApp } from './support/web-app';

jest.setTimeout(90_000);

describe('account invitations', () => {
  const sink = new SmtpSink();
  let t: WebTestApp;
  let p: BromodellenParties;
  const session = new BrowserSession(() => t);
  let page: Page;
  const NEW_PASSWORD = 'tre-gröna-äpplen-i-linköping';

  const deliver = (): Promise<unknown> => t.started.app.get(OutboxSenderService).deliverDue();
  const mailsTo = (email: string) => sink.received.filter((r) => r.rcptTo.includes(email));
  const linkIn = (text: string): string => {
    const match = /(http:\/\/127\.0\.0\.1:\d+\/konto\/losenord\?token=[A-Za-z0-9_-]+)/.exec(text);
    if (!match) throw new Error(`Ingen länk i brevet: ${text}`);
    return match[1];
  };
  const status = async (url: string): Promise<number> => (await page.goto(url))?.status() ?? 0;

  beforeAll(async () => {
    await sink.listen();
    t = await startWebTestApp('2026-03-02T08:00:00Z', { SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
    p = await createBromodellenParties(t);
    await withPasswords(t, [[{ id: t.administratorId }, ['administrator']]]);
    await session.open();
    page = session.page;
  });

  afterAll(async () => {
    await session.close();
    await t?.close();
    await sink.close();
  });

  it('serves a favicon, linked from every page', async () => {
    const res = await t.http().get('/assets/favicon.svg').expect(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(String(res.body ?? res.text)).toContain('<svg');
    const signIn = await t.http().get('/logga-in').expect(200);
    expect(signIn.text).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">');
  });

  it('an administrator adds a person with a role; the e-mailed link sets the password once; the person signs in', async () => {
    await session.signIn(TEST_ADMINISTRATOR.email);
    await page.goto(`${t.baseUrl}/administration`);
    await session.accessible('/administration');
    const form = page.locator('form[action="/administration/personer"]');
    await form.getByLabel('Namn').fill('Nya Nora');
    await form.getByLabel('E-postadress').fill('nora@example.se');
    await form.getByLabel('Organisation').selectOption({ label: 'Linköpings kommun' });
    await form.getByLabel('nämndkansliet').check();
    expect(await form.getByLabel(/Skicka en inbjudan/).isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Lägg till personen' }).click();
    await page.waitForURL(/klart=inbjuden/);
    expect(await page.locator('.flash').innerText()).toContain('länk för att välja lösenord');
    await session.accessible('/administration efter inbjudan');
    expect(await page.locator('tr', { hasText: 'Nya Nora' }).innerText()).toContain('Inget lösenord ännu');

    // Through the outbox to the SMTP peer, once however often the sender runs.
    await deliver();
    await deliver();
    const mails = mailsTo('nora@example.se');
    expect(mails).toHaveLength(1);
    expect(mails[0].mail.subject).toBe('IOP-motorn: välj ditt lösenord');
    const link = linkIn(mails[0].mail.text ?? '');
    expect(link.startsWith(`${t.baseUrl}/konto/losenord?token=`)).toBe(true);
    // Only the token's hash is stored.
    const token = new URL(link).searchParams.get('token') ?? '';
    const rows = await t.dataSource.query<Array<{ token_hash: Buffer }>>(`SELECT token_hash FROM account_invitation`);
    expect(rows.map((r) => r.token_hash.toString('hex'))).toEqual([createHash('sha256').update(token).digest('hex')]);
    expect(JSON.stringify(rows)).not.toContain(token);
    // Least privilege: the service role reads, adds and marks invitations, and never deletes one.
    const [privileges] = await t.dataSource.query<Array<{ s: boolean; i: boolean; u: boolean; d: boolean; tr: boolean }>>(
      `SELECT has_table_privilege('account_invitation', 'SELECT') AS s, has_table_privilege('account_invitation', 'INSERT') AS i, has_table_privilege('account_invitation', 'UPDATE') AS u,
              has_table_privilege('account_invitation', 'DELETE') AS d, has_table_privilege('account_invitation', 'TRUNCATE') AS tr`,
    );
    expect(privileges).toEqual({ s: true, i: true, u: true, d: false, tr: false });

    await session.context.clearCookies();
    expect(await status(link)).toBe(200);
    await session.accessible('/konto/losenord');
    expect(await page.locator('h1').innerText()).toBe('Välj lösenord');
    // Two different passwords, then one the policy refuses: each named next to its field, in Swedish.
    await page.getByLabel('Nytt lösenord').fill(NEW_PASSWORD);
    await page.getByLabel('Samma lösenord igen').fill('något annat');
    await page.getByRole('button', { name: 'Spara lösenordet' }).click();
    expect(await page.locator('.error-summary').innerText()).toContain('Lösenorden är inte lika');
    await session.accessible('/konto/losenord (olika lösenord)');
    await page.getByLabel('Nytt lösenord').fill('kort');
    await page.getByLabel('Samma lösenord igen').fill('kort');
    await page.getByRole('button', { name: 'Spara lösenordet' }).click();
    expect(await page.locator('.error-summary').innerText()).toMatch(/minst 12 tecken/i);
    await page.getByLabel('Nytt lösenord').fill(NEW_PASSWORD);
    await page.getByLabel('Samma lösenord igen').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Spara lösenordet' }).click();
    await page.waitForURL(/\/konto\/losenord\/klart$/);
    expect(await page.locator('.flash').innerText()).toContain('Lösenordet är sparat');
    await session.accessible('/konto/losenord/klart');
    await page.getByLabel('E-postadress').fill('nora@example.se');
    await page.getByLabel('Lösenord').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('.site-header').innerText()).toContain('Nya Nora');

    // Used: the same link again is refused, in Swedish, with 410.
    await session.context.clearCookies();
    expect(await status(link)).toBe(410);
    expect(await page.locator('h1').innerText()).toBe('Länken är redan använd');
    await session.accessible('/konto/losenord (använd)');
  });

  it('refuses a replaced, an expired and an unknown link with a Swedish page', async () => {
    const olle = await createPerson(t, { name: 'Olle Ordförande', email: 'olle@example.se', organisationId: p.kommun.id }, ['auditor']);
    const invitations = t.started.app.get(InvitationsService);
    const admin = { personId: t.administratorId, name: TEST_ADMINISTRATOR.name, role: 'administrator' as const, organisationId: null, organisationName: null, organisationKind: null, roles: ['administrator' as const] };
    await invitations.invite(olle.id, admin);
    await deliver();
    const first = linkIn(mailsTo('olle@example.se')[0].mail.text ?? '');
    await invitations.invite(olle.id, admin);
    await deliver();
    const second = linkIn(mailsTo('olle@example.se')[1].mail.text ?? '');
    expect(second).not.toBe(first);
    expect(await status(first)).toBe(410);
    expect(await page.locator('.lead').innerText()).toContain('ersatts av en nyare inbjudan');

    t.clock.freeze('2026-03-05T08:00:01Z'); // 72 hours and a second later
    expect(await status(second)).toBe(410);
    expect(await page.locator('h1').innerText()).toBe('Länken har gått ut');
    await session.accessible('/konto/losenord (utgången)');
    // Posting to it is refused the same way, and sets nothing.
    const posted = await t.http().post('/konto/losenord').set('Origin', t.baseUrl).type('form').send({ token: new URL(second).searchParams.get('token'), password: NEW_PASSWORD, repeat: NEW_PASSWORD });
    expect(posted.status).toBe(410);
    expect(posted.text).toContain('Länken har gått ut');

    expect(await status(`${t.baseUrl}/konto/losenord?token=inte-en-riktig-token`)).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('Länken fungerar inte');
    await session.accessible('/konto/losenord (okänd)');
    t.clock.freeze('2026-03-02T08:00:00Z');
  });

  it('shows an invitation\'s text in the mailbox to administrators and the person it is to, not to the secretariat', async () => {
    const [row] = await t.dataSource.query<Array<{ id: string }>>(`SELECT id::text FROM outbox_message WHERE kind = 'invitation' ORDER BY id LIMIT 1`);
    await withPasswords(t, [[p.secretariat, ['secretariat']]]);
    const nina = await HttpSession.signIn(t, 'nina@example.se');
    // Not found, exactly like a message that is not there: the link would give her a new account's rights.
    await nina.get(`/brevlada/${row.id}`).expect(404);
    await nina.get(`/mailbox/${row.id}.eml`).expect(404);
    expect((await nina.get('/brevlada').expect(200)).text).not.toContain('/konto/losenord?token=');
    const admin = await HttpSession.signIn(t, TEST_ADMINISTRATOR.email);
    expect((await admin.get(`/brevlada/${row.id}`).expect(200)).text).toContain('/konto/losenord?token=');
  });

  it('names roles in words when one is refused, and keeps the person unadded', async () => {
    await session.signIn(TEST_ADMINISTRATOR.email);
    await page.goto(`${t.baseUrl}/administration`);
    const form = page.locator('form[action="/administration/personer"]');
    await form.getByLabel('Namn').fill('Idéburen Ida');
    await form.getByLabel('E-postadress').fill('ida@example.se');
    await form.getByLabel('Organisation').selectOption({ label: 'Studieförbundet Bilda Sydöst' });
    await form.getByLabel('nämndkansliet').check();
    await form.getByRole('button', { name: 'Lägg till personen' }).click();
    const summary = await page.locator('.error-summary').innerText();
    expect(summary).toContain('Rollen nämndkansliet kan bara ges till personer i en kommun');
    expect(summary).not.toContain('secretariat');
    await session.accessible('/administration (fel roll)');
    expect(await t.dataSource.query(`SELECT 1 FROM person WHERE email = 'ida@example.se'`)).toEqual([]);
    // An invitation needs a role to sign in with.
    await form.getByLabel('nämndkansliet').uncheck();
    await form.getByRole('button', { name: 'Lägg till personen' }).click();
    expect(await page.locator('.error-summary').innerText()).toContain('Välj minst en roll');
    expect(await t.dataSource.query(`SELECT 1 FROM person WHERE email = 'ida@example.se'`)).toEqual([]);

    // An account without a password can be invited again from its row; the earlier link stops working.
    const before = mailsTo('olle@example.se').length;
    await page.getByRole('button', { name: 'Skicka inbjudan till Olle Ordförande' }).click();
    await page.waitForURL(/klart=inbjudan/);
    expect(await page.locator('.flash').innerText()).toContain('Inbjudan är skickad');
    await session.accessible('/administration (inbjudan skickad)');
    await deliver();
    expect(mailsTo('olle@example.se')).toHaveLength(before + 1);
  });
});
