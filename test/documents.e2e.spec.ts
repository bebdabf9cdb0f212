import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { AccountsService } from '@app/auth/accounts.service';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { amendmentBody } from './support/follow-up-factories';
import { bromodellenBody, createBromodellenParties, createPerson, sendEvent, type BromodellenParties } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

/** Bromodellen's free sections, in the words of seed 000 (shortened), as the secretariat writes them. */
const TEXTS = {
  background:
    'Individer som ansöker om ekonomiskt bistånd i Linköpings kommun har ett ansvar att delta i aktiviteter med syfte att närma sig arbete eller studier.\n\nErikshjälpen har lång erfarenhet av arbetsintegrerande insatser och projekt.',
  values: 'Partnerskapet bygger på principerna om integritet, dialog, långsiktighet, öppenhet och mångfald.',
  organisation: 'Aktiviteterna planeras och genomförs av personal inom Bilda och Erikshjälpen.\n\nVarje aktör utser representanter som ingår i en samverkansgrupp.',
  followUp: 'Samarbetspartnerna åtar sig att löpande och i dialog följa upp överenskommelsen utifrån syfte och mål.',
  termination: 'Om parterna är överens därom kan överenskommelsen hävas med omedelbar verkan.',
};
const PURPOSE = 'Partnerskapet syftar till att stärka och stötta individer inom målgruppen.\n\nParterna skall sträva efter att:\n- stärka sitt gemensamma språk\n- skapa en miljö som präglas av tillit till individen';

const HEADINGS = ['Parter', 'Syfte', 'Bakgrund', 'Värdegrund', 'Målgrupp', 'Verksamhet', 'Organisation och samverkan', 'Ekonomi', 'Giltighet', 'Kunskapsinhämtning och uppföljning', 'Uppsägning och hävning'];

function pdfText(bytes: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'iop-doc-'));
  const file = path.join(dir, 'doc.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

const pdf = (res: { body: unknown }) => res.body as Buffer;
const binary = (r: import('supertest').Test) =>
  r.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

describe('the agreement as a document (issue 16)', () => {
  let t: TestApp;
  let p: BromodellenParties;

  beforeAll(async () => {
    t = await startTestApp();
    p = await createBromodellenParties(t);
  });
  afterAll(() => t.close());

  async function draft(overrides: Record<string, unknown> = {}): Promise<string> {
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    await sendEvent(t, p, id, { type: 'ACCEPT_INITIATIVE' }).expect(200);
    const { proposedByOrganisationId: _p, ...terms } = bromodellenBody(p, { purpose: PURPOSE, texts: TEXTS, followUp: { meetingsPerYear: 1, yearlyReport: { dueMonth: 3, dueDay: 31 } }, ...overrides });
    await t.as(p.secretariat.id).put(`/agreements/${id}`).send(terms).expect(200);
    return id;
  }

  it('refuses HTML in a section, naming the field, in Swedish', async () => {
    const id = await draft();
    const { proposedByOrganisationId: _p, ...terms } = bromodellenBody(p, { texts: { background: 'Hej <script>alert(1)</script>' } });
    const res = await t.as(p.secretariat.id).put(`/agreements/${id}`).send(terms).expect(400);
    expect(JSON.stringify(res.body)).toContain('utan HTML');
    const shown = (await t.admin().get(`/agreements/${id}`).expect(200)).body as { texts: Record<string, string> };
    expect(shown.texts.background).toBe(TEXTS.background);
  });

  it('renders the terms to a PDF when sent for signing, stores it by its SHA-256 and records the hash in the history', async () => {
    const id = await draft();
    await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);
    const docs = (await t.as(p.ehSignatory.id).get(`/agreements/${id}/documents`).expect(200)).body as Array<{ hash: string; status: string; href: string; kind: string }>;
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ kind: 'draft', status: 'for_signing' });
    const res = await binary(t.as(p.ehSignatory.id).get(docs[0].href)).expect(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    const bytes = pdf(res);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(docs[0].hash);
    // An auditor reads them; someone whose organisation is no party learns nothing (404, as for the agreement).
    const other = (await t.admin().post('/organisations').send({ name: 'Annan förening', organisationNumber: '802000-1098', kind: 'civil_society' }).expect(201)).body as { id: string };
    const outsider = await createPerson(t, { name: 'Utom Stående', email: `utom${Date.now()}@example.se`, organisationId: other.id }, ['signatory']);
    const auditor = await createPerson(t, { name: 'Revi Sor', email: `revisor${Date.now()}@example.se`, organisationId: p.kommun.id }, ['auditor']);
    await t.as(auditor.id).get(docs[0].href).expect(200);
    await t.as(outsider.id).get(`/agreements/${id}/documents`).expect(404);
    await t.as(outsider.id).get(docs[0].href).expect(404);
    const history = (await t.admin().get(`/agreements/${id}/history`).expect(200)).body as Array<{ eventType: string; payload: Record<string, unknown> }>;
    expect(history.find((h) => h.eventType === 'SEND_FOR_SIGNING')?.payload.documentHash).toBe(docs[0].hash);

    const text = pdfText(bytes).replace(/[ \u00a0]+/g, ' ');
    for (const [i, heading] of HEADINGS.entries()) expect(text).toContain(`${i + 1}. ${heading}`);
    for (const figure of ['2 368 800 kr', '1 658 160 kr', '70 %', '592 200 kr', '25 %', '118 440 kr', '5 %', '2 %', 'GLN-nr 7332776000001', '2024-01-01', '2025-12-31', 'förlängning två gånger två år', 'senast tre månader före', 'Linköpings kommun', 'AN 2023-0042', '212000-0449', 'Sida 1 av']) {
      expect(text).toContain(figure);
    }
    expect(text).toContain('stärka sitt gemensamma språk');
    expect(text).toContain('Samverkansgruppen träffas minst en gång per kalenderår');
    // Tagged, with its fonts embedded.
    const dir = mkdtempSync(path.join(tmpdir(), 'iop-doc-'));
    writeFileSync(path.join(dir, 'd.pdf'), bytes);
    expect(execFileSync('pdfinfo', [path.join(dir, 'd.pdf')], { encoding: 'utf8' })).toMatch(/Tagged:\s+yes/);
    const fonts = execFileSync('pdffonts', [path.join(dir, 'd.pdf')], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f).toMatch(/\byes\b/);
    // The first page as PNG for the README.
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', path.join(dir, 'd.pdf'), path.join(dir, 'first')]);
    mkdirSync(path.join(__dirname, '..', 'docs', 'screenshots'), { recursive: true });
    copyFileSync(path.join(dir, 'first.png'), path.join(__dirname, '..', 'docs', 'screenshots', 'dokument-for-underskrift.png'));
  });

  it('refuses a signature for a document that is no longer the one out for signing, and records the hash with each signature', async () => {
    const id = await draft();
    await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);
    const [viewed] = (await t.as(p.ehSignatory.id).get(`/agreements/${id}/documents`).expect(200)).body as Array<{ hash: string }>;
    // Bilda returns it to draft, the terms change, it is sent again: a new document.
    await sendEvent(t, p, id, { type: 'RETURN_TO_DRAFT', organisationId: p.bilda.id, reason: 'Platserna ska vara 45.' }).expect(200);
    const { proposedByOrganisationId: _p, ...terms } = bromodellenBody(p, { purpose: PURPOSE, texts: TEXTS, places: 45 });
    await t.as(p.secretariat.id).put(`/agreements/${id}`).send(terms).expect(200);
    await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);

    const stale = await sendEvent(t, p, id, { type: 'SIGN', organisationId: p.erikshjalpen.id, documentHash: viewed.hash });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/^Dokumentet har ändrats sedan du öppnade det/);
    const docs = (await t.as(p.ehSignatory.id).get(`/agreements/${id}/documents`).expect(200)).body as Array<{ hash: string; status: string }>;
    expect(docs.map((d) => d.status)).toEqual(['superseded', 'for_signing']);
    const current = docs[1].hash;
    await sendEvent(t, p, id, { type: 'SIGN', organisationId: p.erikshjalpen.id, documentHash: current }).expect(200);
    // A client that sends no hash signs the round's document, and the history says which.
    await sendEvent(t, p, id, { type: 'SIGN', organisationId: p.bilda.id }).expect(200);
    const history = (await t.admin().get(`/agreements/${id}/history`).expect(200)).body as Array<{ eventType: string; outcome: string; payload: Record<string, unknown> }>;
    expect(history.filter((h) => h.eventType === 'SIGN' && h.outcome === 'applied').map((h) => h.payload.documentHash)).toEqual([current, current]);
    expect((await sendEvent(t, p, id, { type: 'SIGN', organisationId: p.kommun.id, documentHash: 'f'.repeat(64) })).status).toBe(409);
  });

  it('seals the signed agreement when the last party signs: the document, a signature page and the history, with a PAdES signature pdfsig accepts', async () => {
    const id = await draft();
    await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);
    const [current] = (await t.admin().get(`/agreements/${id}/documents`).expect(200)).body as Array<{ hash: string }>;
    // Bilda's firmatecknare signs in with a password; the others through the test header.
    await t.started.app.get(AccountsService).upsert(p.bildaSignatory.id, 'rätt-hästbatteri-häftklammer-17', ['signatory']);
    t.clock.freeze('2023-05-02T07:15:00Z');
    await sendEvent(t, p, id, { type: 'SIGN', organisationId: p.kommun.id, documentHash: current.hash }).expect(200);
    t.clock.freeze('2023-05-03T12:30:00Z');
    const origin = new URL(t.started.config.publicBaseUrl).origin;
    const login = await t.http().post('/auth/login').set('Origin', origin).send({ email: 'bilda@example.se', password: 'rätt-hästbatteri-häftklammer-17' }).expect(200);
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).find((c) => c.startsWith('iop_session='))?.split(';')[0] ?? '';
    await t.http().post(`/agreements/${id}/events`).set('Cookie', cookie).set('Origin', origin).send({ type: 'SIGN', organisationId: p.bilda.id, documentHash: current.hash }).expect(200);
    t.clock.freeze('2023-05-04T09:00:00Z');
    await sendEvent(t, p, id, { type: 'SIGN', organisationId: p.erikshjalpen.id, documentHash: current.hash }).expect(200);
    t.clock.freeze('2023-05-01T08:00:00Z');

    const docs = (await t.as(p.bildaSignatory.id).get(`/agreements/${id}/documents`).expect(200)).body as Array<{ hash: string; kind: string; status: string; href: string }>;
    expect(docs.map((d) => [d.kind, d.status])).toEqual([['draft', 'signed'], ['signed', 'signed']]);
    const sealedRef = docs[1];
    const history = (await t.admin().get(`/agreements/${id}/history`).expect(200)).body as Array<{ eventType: string; outcome: string; payload: Record<string, unknown> }>;
    const signs = history.filter((h) => h.eventType === 'SIGN' && h.outcome === 'applied');
    expect(signs.map((h) => h.payload.authentication)).toEqual(['Utvecklingshuvud x-person-id (TRUST_ACTOR_HEADER)', 'Lösenord', 'Utvecklingshuvud x-person-id (TRUST_ACTOR_HEADER)']);
    expect(signs[2].payload.sealedDocumentHash).toBe(sealedRef.hash);

    const sealed = pdf(await binary(t.as(p.secretariat.id).get(sealedRef.href)).expect(200));
    expect(createHash('sha256').update(sealed).digest('hex')).toBe(sealedRef.hash);
    const dir = mkdtempSync(path.join(tmpdir(), 'iop-seal-'));
    const file = path.join(dir, 'sealed.pdf');
    writeFileSync(file, sealed);
    const verified = execFileSync('pdfsig', [file], { encoding: 'utf8' });
    expect(verified).toContain('Signature Validation: Signature is Valid.');
    expect(verified).toMatch(/Total document signed|The signature form field is signed/);
    // One byte changed in the signed content: the seal no longer holds.
    const tampered = Buffer.from(sealed);
    const at = tampered.indexOf('Bromodellen');
    tampered[at] = 'C'.charCodeAt(0);
    writeFileSync(path.join(dir, 'tampered.pdf'), tampered);
    let tamperedOut = '';
    try {
      tamperedOut = execFileSync('pdfsig', [path.join(dir, 'tampered.pdf')], { encoding: 'utf8' });
    } catch (error) {
      tamperedOut = String((error as { stdout?: string }).stdout ?? '');
    }
    expect(tamperedOut).not.toContain('Signature is Valid.');

    const text = pdfText(sealed).replace(/[ \u00a0]+/g, ' ');
    for (const heading of HEADINGS) expect(text).toContain(heading);
    expect(text).toContain('Underskrifter');
    for (const who of ['Mikaela Schullström', 'Bilda Firmatecknare', 'Erikshjälpen Firmatecknare']) expect(text).toContain(who);
    for (const when of ['2023-05-02 09:15:00', '2023-05-03 14:30:00', '2023-05-04 11:00:00']) expect(text).toContain(when);
    expect(text).toContain('Lösenord');
    expect(text).toContain(current.hash);
    expect(text).toContain('Historik fram till undertecknandet');
    expect(text).toContain('självsignerat utvecklingscertifikat');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, path.join(dir, 'first')]);
    copyFileSync(path.join(dir, 'first.png'), path.join(__dirname, '..', 'docs', 'screenshots', 'dokument-undertecknat.png'));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(pages - 1), '-l', String(pages - 1), '-singlefile', file, path.join(dir, 'signatures')]);
    copyFileSync(path.join(dir, 'signatures.png'), path.join(__dirname, '..', 'docs', 'screenshots', 'dokument-underskrifter.png'));
  });

  it('seals an amendment as a document of its own when the last party agrees, naming the signed agreement it belongs to', async () => {
    const id = await draft();
    await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);
    for (const o of [p.kommun, p.bilda, p.erikshjalpen]) await sendEvent(t, p, id, { type: 'SIGN', organisationId: o.id }).expect(200);
    t.clock.freeze('2024-06-03T08:00:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
    await t.as(p.secretariat.id).post(`/agreements/${id}/amendments`).send(amendmentBody(p, 2025, { reason: 'Nya lokaler från 2025.' })).expect(201);
    for (const o of [p.kommun, p.bilda]) await sendEvent(t, p, id, { type: 'AGREE_TO_AMENDMENT', organisationId: o.id }).expect(200);
    expect(((await t.admin().get(`/agreements/${id}/documents`).expect(200)).body as Array<{ kind: string }>).map((d) => d.kind)).toEqual(['draft', 'signed']);
    await sendEvent(t, p, id, { type: 'AGREE_TO_AMENDMENT', organisationId: p.erikshjalpen.id }).expect(200);
    t.clock.freeze('2023-05-01T08:00:00Z');
    const docs = (await t.as(p.ehSignatory.id).get(`/agreements/${id}/documents`).expect(200)).body as Array<{ kind: string; hash: string; href: string; status: string }>;
    expect(docs.map((d) => [d.kind, d.status])).toEqual([['draft', 'signed'], ['signed', 'signed'], ['amendment', 'signed']]);
    const history = (await t.admin().get(`/agreements/${id}/history`).expect(200)).body as Array<{ eventType: string; outcome: string; payload: Record<string, unknown> }>;
    expect(history.filter((h) => h.eventType === 'AGREE_TO_AMENDMENT' && h.outcome === 'applied').at(-1)?.payload.sealedDocumentHash).toBe(docs[2].hash);
    const bytes = pdf(await binary(t.as(p.ehSignatory.id).get(docs[2].href)).expect(200));
    const dir = mkdtempSync(path.join(tmpdir(), 'iop-amend-'));
    writeFileSync(path.join(dir, 'a.pdf'), bytes);
    expect(execFileSync('pdfsig', [path.join(dir, 'a.pdf')], { encoding: 'utf8' })).toContain('Signature Validation: Signature is Valid.');
    const text = pdfText(bytes).replace(/\s+/g, ' ');
    expect(text).toContain('Tillägg 1 till Bromodellen');
    expect(text).toContain('från och med kalenderåret 2025');
    expect(text).toContain('Nya lokaler från 2025.');
    expect(text.replace(/\s+/g, '')).toContain(docs[1].hash);
    for (const who of ['Mikaela Schullström', 'Bilda Firmatecknare', 'Erikshjälpen Firmatecknare']) expect(text).toContain(who);
  });

  it('has the audit verifier check every stored document against its recorded hash, and name one whose bytes changed behind the service', async () => {
    const before = (await t.as(p.secretariat.id).get('/audit/verify').expect(200)).body as { intact: boolean; records: { checked: number; problems: unknown[] } };
    expect(before.records.checked).toBeGreaterThanOrEqual(8);
    expect(before.records.problems).toEqual([]);
    expect(before.intact).toBe(true);
    // The service role may neither change nor remove a document.
    const app = new Client({ connectionString: t.db.appUrl });
    await app.connect();
    await expect(app.query(`UPDATE agreement_document SET bytes = 'x'`)).rejects.toThrow(/oföränderlig|permission denied/);
    await expect(app.query(`DELETE FROM agreement_document`)).rejects.toThrow(/oföränderlig|permission denied/);
    await app.end();
    const su = new Client({ connectionString: t.db.url });
    await su.connect();
    await su.query(`SET session_replication_role = replica`);
    const [{ hash, agreement_id: agreementId }] = (await su.query<{ hash: string; agreement_id: string }>(`SELECT hash, agreement_id FROM agreement_document ORDER BY created_at LIMIT 1`)).rows;
    await su.query(`UPDATE agreement_document SET bytes = overlay(bytes placing '\\x5a5a5a'::bytea from 200 for 3) WHERE hash = $1`, [hash]);
    await su.end();
    const after = (await t.as(p.secretariat.id).get('/audit/verify').expect(200)).body as { intact: boolean; records: { problems: unknown[] } };
    expect(after.intact).toBe(false);
    expect(after.records.problems).toEqual([{ kind: 'agreement_document', caseId: agreementId, key: hash, problem: 'bytes_altered' }]);
  });
});
