import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bromodellenBody, createBromodellenParties, sendEvent, type BromodellenParties } from './support/factories';
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
});
