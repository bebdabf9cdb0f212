/**
 * Issue 16 on the web: the secretariat writes the agreement's text on its own page (POST, redirect,
 * GET), the signing page shows the document and its hash (axe-checked), and a signature posted for a
 * document that was replaced in the meantime is refused with the reason.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { bromodellenBody, createBromodellenParties, sendEvent, type BromodellenParties } from '@test/support/factories';
import { screenshot } from './support/browser';
import { HttpSession, withValues } from './support/http-session';
import { BrowserSession, withPasswords } from './support/session';
import { startWebTestApp, type WebTestApp } from './support/web-app';

jest.setTimeout(90_000);

describe('the agreement document on the web', () => {
  let t: WebTestApp;
  let p: BromodellenParties;
  const session = new BrowserSession(() => t);
  let page: Page;

  beforeAll(async () => {
    t = await startWebTestApp('2023-10-01T08:00:00Z');
    p = await createBromodellenParties(t);
    await withPasswords(t, [
      [p.secretariat, ['secretariat']],
      [p.bildaSignatory, ['signatory']],
    ]);
    await session.open();
    page = session.page;
  });
  afterAll(async () => {
    await session.close();
    await t.close();
  });

  async function draft(): Promise<string> {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    await sendEvent(t, p, id, { type: 'ACCEPT_INITIATIVE' }).expect(200);
    return id;
  }

  it('lets the secretariat write the sections, refusing HTML at the field', async () => {
    const id = await draft();
    const nina = await HttpSession.signIn(t, 'nina@example.se');
    const path = `/overenskommelser/${id}/dokument/andra`;
    const fields = await nina.form(path);
    const refused = await nina.post(path, withValues(fields, { background: 'Se <a href="x">här</a>' })).expect(400);
    expect(refused.text).toContain('utan HTML');
    const saved = await nina.post(path, withValues(fields, { background: 'Första stycket.\n\nAndra stycket:\n- en punkt\n- en till', organisation: 'Samverkansgrupp.' })).expect(303);
    expect(saved.headers.location).toBe(`/overenskommelser/${id}?utfort=UPDATE_TERMS`);
    const agreement = (await t.admin().get(`/agreements/${id}`).expect(200)).body as { texts: Record<string, string> };
    expect(agreement.texts).toEqual({ background: 'Första stycket.\n\nAndra stycket:\n- en punkt\n- en till', organisation: 'Samverkansgrupp.' });
    // The same form posted again (a reload) changes nothing twice.
    await nina.post(path, withValues(fields, { background: 'Första stycket.\n\nAndra stycket:\n- en punkt\n- en till', organisation: 'Samverkansgrupp.' })).expect(303);
  });

  it('shows the document and its hash on the signing page, and refuses a signature for a replaced document', async () => {
    const id = await draft();
    await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);
    const [first] = (await t.admin().get(`/agreements/${id}/documents`).expect(200)).body as Array<{ hash: string }>;

    await session.signIn('bilda@example.se');
    await page.goto(`${t.baseUrl}/overenskommelser/${id}/handelser/SIGN`);
    await session.accessible('signera med dokumentet');
    expect(await page.locator('.document-to-sign code').innerText()).toBe(first.hash);
    const pdf = await page.request.get(`${t.baseUrl}/agreements/${id}/documents/${first.hash}.pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    await screenshot(page, 'signera-dokument');

    const bilda = await HttpSession.signIn(t, 'bilda@example.se');
    const stale = await bilda.form(`/overenskommelser/${id}/handelser/SIGN`, `/overenskommelser/${id}/handelser`);
    expect(stale).toContainEqual(['documentHash', first.hash]);
    // Meanwhile Erikshjälpen returns it, the terms change, and it goes out again as a new document.
    await sendEvent(t, p, id, { type: 'RETURN_TO_DRAFT', organisationId: p.erikshjalpen.id, reason: 'Fler platser.' }).expect(200);
    const { proposedByOrganisationId: _p, ...terms } = bromodellenBody(p, { places: 45 });
    await t.as(p.secretariat.id).put(`/agreements/${id}`).send(terms).expect(200);
    await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);

    const refused = await bilda.post(`/overenskommelser/${id}/handelser`, stale).expect(303);
    expect(refused.headers.location).toBe(`/overenskommelser/${id}?fel=document_changed`);
    const shown = await bilda.get(refused.headers.location).expect(200);
    expect(shown.text).toContain('Dokumentet har ändrats sedan du öppnade det');
    expect(shown.text).toContain('ersatt');
    const agreement = (await t.admin().get(`/agreements/${id}`).expect(200)).body as { parties: Array<{ organisationId: string; signed: boolean }> };
    expect(agreement.parties.find((x) => x.organisationId === p.bilda.id)?.signed).toBe(false);

    // The new document's page signs.
    const fresh = await bilda.form(`/overenskommelser/${id}/handelser/SIGN`, `/overenskommelser/${id}/handelser`);
    expect(fresh.find(([n]) => n === 'documentHash')?.[1]).not.toBe(first.hash);
    await bilda.post(`/overenskommelser/${id}/handelser`, fresh).expect(303);
    const signed = (await t.admin().get(`/agreements/${id}`).expect(200)).body as { parties: Array<{ organisationId: string; signed: boolean }> };
    expect(signed.parties.find((x) => x.organisationId === p.bilda.id)?.signed).toBe(true);
  });

  it("keeps the municipality's standard texts as versions the secretariat writes, used by drafts that have none of their own", async () => {
    const nina = await HttpSession.signIn(t, 'nina@example.se');
    const page = await nina.get('/dokumentmallar').expect(200);
    expect(page.text).toContain('Tjänstens inbyggda text');
    const fields = (await nina.form('/dokumentmallar')).filter(([n]) => n !== 'text');
    const section = fields.find(([n]) => n === 'section')?.[1];
    expect(section).toBe('values');
    const refused = await nina.post('/dokumentmallar', [...fields, ['text', '<b>fet</b>']]).expect(400);
    expect(refused.text).toContain('utan HTML');
    await nina.post('/dokumentmallar', [...fields, ['text', 'Kommunens värdegrund, version två: öppenhet och mångfald.']]).expect(303);
    const current = (await t.as(p.bildaSignatory.id).get('/document-templates').expect(200)).body as Array<{ section: string; version: number; text: string; createdByName: string }>;
    expect(current.find((x) => x.section === 'values')).toMatchObject({ version: 1, text: 'Kommunens värdegrund, version två: öppenhet och mångfald.', createdByName: 'Nämndsekreterare Nina' });
    expect(current.find((x) => x.section === 'termination')?.version).toBe(0);
    // A firmatecknare may read them, not write them.
    expect((await t.as(p.bildaSignatory.id).post('/document-templates').send({ section: 'values', text: 'x' })).status).toBe(403);

    const id = await draft();
    await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);
    const [doc] = (await t.admin().get(`/agreements/${id}/documents`).expect(200)).body as Array<{ href: string }>;
    const bytes = (await t.admin().get(doc.href).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    })).body as Buffer;
    const dir = mkdtempSync(path.join(tmpdir(), 'iop-tpl-'));
    writeFileSync(path.join(dir, 'd.pdf'), bytes);
    const text = execFileSync('pdftotext', [path.join(dir, 'd.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Kommunens värdegrund, version två: öppenhet och mångfald.');
  });
});
