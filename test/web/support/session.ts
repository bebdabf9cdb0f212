import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AccountRole } from '@app/audit/actor';
import { AccountsService } from '@app/auth/accounts.service';
import { bromodellenBody, sendEvent, type BromodellenParties } from '@test/support/factories';
import { axeViolations, launchChromium } from './browser';
import type { WebTestApp } from './web-app';

/** The password every account in the web tests is given. */
export const PASSWORD = 'webb-test-lösenord-2025';

/** Accounts with PASSWORD and exactly these roles, for signing in through the form. */
export async function withPasswords(t: WebTestApp, accounts: ReadonlyArray<readonly [{ id: string }, readonly AccountRole[]]>): Promise<void> {
  const service = t.started.app.get(AccountsService);
  for (const [person, roles] of accounts) await service.upsert(person.id, PASSWORD, [...roles]);
}

/** Bromodellen proposed by Bilda, taken up, sent for signing and signed by every party (through the API). */
export async function signedBromodellen(t: WebTestApp, p: BromodellenParties, overrides: Record<string, unknown> = {}): Promise<string> {
  const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, overrides)).expect(201)).body.id as string;
  for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))]) {
    await sendEvent(t, p, id, body).expect(200);
  }
  return id;
}

/**
 * One browser, one context and one page for a spec, with the steps every web test takes: sign in
 * through the form, and check the page with axe-core (remembering what was found on each page).
 */
export class BrowserSession {
  browser!: Browser;
  context!: BrowserContext;
  page!: Page;
  /** Every page checked, with what axe found on it. */
  readonly checked = new Map<string, string[]>();

  constructor(private readonly app: () => WebTestApp) {}

  async open(): Promise<void> {
    this.browser = await launchChromium();
    // axe-core is injected as an inline script; the app's own pages need no exemption (security-headers spec).
    this.context = await this.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm', reducedMotion: 'reduce', bypassCSP: true });
    this.page = await this.context.newPage();
    this.page.setDefaultTimeout(5000);
  }

  async close(): Promise<void> {
    await this.context?.close();
    await this.browser?.close();
  }

  /** axe on the page as it is now; the test fails on the first page with a violation, naming it. */
  async accessible(label: string): Promise<void> {
    const violations = await axeViolations(this.page);
    this.checked.set(label, violations);
    expect({ page: label, violations }).toEqual({ page: label, violations: [] });
  }

  async signIn(email: string): Promise<void> {
    await this.context.clearCookies();
    await this.page.goto(`${this.app().baseUrl}/logga-in`);
    await this.page.getByLabel('E-postadress').fill(email);
    await this.page.getByLabel('Lösenord').fill(PASSWORD);
    await this.page.getByRole('button', { name: 'Logga in' }).click();
    await this.page.waitForLoadState('load');
  }

  /** The pages where axe found something (none, when all is well). */
  violations(): Array<[string, string[]]> {
    return [...this.checked.entries()].filter(([, v]) => v.length > 0);
  }
}
