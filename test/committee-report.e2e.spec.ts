import { execFile } from 'node:child_process';
import { mkdirSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { startTestApp, type TestApp } from '@test/support/test-app';
import { axeViolations, launchChromium } from '@test/web/support/browser';

const run = promisify(execFile);

interface ReportRow {
  name: string;
  partners: string[];
  estimatedValuePerYearKr: number;
  committeeCostPerYearKr: number;
  validUntil: string;
}

interface Report {
  year: number;
  committee: string | null;
  rows: ReportRow[];
  totals: { estimatedValuePerYearKr: number; committeeCostPerYearKr: number };
  accounts: Array<{ name: string; account: string | null; figures: Array<{ key: string; value: number }> }>;
  figures: Array<{ key: string; label: string; value: number; reportedBy: number }>;
  endingNextYear: Array<{ name: string; validUntil: string; extensionsLeft: number; decisionDue: string | null }>;
}

/** Seed 002, "Översikt IOP inom arbetsmarknadsnämnden": value per year, the committee's cost per year, valid until. */
const SEED_002: Array<[string, number, number, string]> = [
  ['Hoppfull framtid', 2_080_500, 1_100_000, '2023-12-31'],
  ['Bromodellen (till 2023)', 1_791_200, 1_150_000, '2023-12-31'],
  ['Vi Ses!', 1_156_000, 600_000, '2023-12-31'],
  ['Kompletterande språkträning', 897_626, 295_000, '2023-12-31'],
  ['Inkludering på lika villkor', 454_000, 230_000, '2022-12-31'],
];

const SCREENSHOT = path.resolve(__dirname, '../docs/screenshots/arsrapport-2021.png');

describe('the committee yearly report (issue 7) on the demo data', () => {
  let t: TestApp;
  let secretariat: string;
  let signatory: string;
  let auditor: string;
  let report: Report;

  beforeAll(async () => {
    t = await startTestApp({ now: null, env: { DEMO_DATA: 'on', CLOCK_START: '2026-11-23T09:00:00+01:00' } });
    const person = async (email: string): Promise<string> => (await t.dataSource.query(`SELECT id FROM person WHERE email = $1`, [email]))[0].id;
    secretariat = await person('karin.ek@example.se');
    signatory = await person('maria.lund@example.se');
    auditor = await person('per.nystrom@example.se');
    report = (await t.as(secretariat).get('/committee/reports/2021').expect(200)).body as Report;
  });
  afterAll(() => t.close());

  it("reproduces seed 002's overview for 2021: the five IOPs, their figures and validity as they stood then, in the seed's order", () => {
    expect(report.committee).toBe('Arbetsmarknadsnämnden');
    expect(report.rows.map((r) => [r.name, r.estimatedValuePerYearKr, r.committeeCostPerYearKr, r.validUntil])).toEqual(SEED_002);
    expect(report.rows.find((r) => r.name === 'Bromodellen (till 2023)')?.partners).toEqual(['Studieförbundet Bilda Sydöst', 'Erikshjälpen']);
  });

  it('sums the overview', () => {
    expect(report.totals).toEqual({ estimatedValuePerYearKr: 6_379_326, committeeCostPerYearKr: 3_375_000 });
  });

  it("gives each IOP's own account of 2021 and sums the figures they report", () => {
    const account = (name: string) => report.accounts.find((a) => a.name === name)?.account ?? '';
    expect(report.accounts.map((a) => a.name)).toEqual(SEED_002.map(([name]) => name));
    expect(account('Kompletterande språkträning')).toContain('Berga');
    expect(account('Inkludering på lika villkor')).toContain('54 deltagare');
    expect(account('Vi Ses!')).toContain('Språkvänner');
    expect(report.accounts.find((a) => a.name === 'Inkludering på lika villkor')?.figures).toEqual(expect.arrayContaining([{ key: 'participants', label: 'Deltagare under året', value: 54 }]));
    expect(report.figures.map((f) => [f.key, f.value, f.reportedBy])).toEqual([
      ['participants', 204, 5],
      ['ga_progress', 92, 5],
      ['outcome_work', 16, 5],
      ['outcome_studies', 30, 5],
      ['outcome_other_activity', 31, 5],
      ['outcome_no_change', 52, 5],
      ['places_used', 110, 5],
    ]);
  });

  it('lists the agreements whose validity ends in 2022, with the extension decision still due', () => {
    expect(report.endingNextYear).toEqual([{ agreementId: expect.any(String), name: 'Inkludering på lika villkor', validUntil: '2022-12-31', extensionsLeft: 2, decisionDue: '2022-09-30' }]);
  });

  it('is shown as a Swedish page, with the sums in kronor', async () => {
    const agent = request.agent(t.started.app.getHttpServer());
    await agent.post('/auth/login').send({ email: 'karin.ek@example.se', password: 'demo-iop-2026' }).expect(200);
    const page = await agent.get('/rapporter/2021').expect(200).expect('Content-Type', /text\/html/);
    expect(page.text).toContain('<html lang="sv">');
    expect(page.text).toContain('Uppföljning av arbetsmarknadsnämndens idéburna offentliga partnerskap 2021');
    expect(page.text).toContain('2\u00a0080\u00a0500\u00a0kr');
    expect(page.text).toContain('6\u00a0379\u00a0326\u00a0kr');
    expect(page.text).toContain('Skäggetorp');
    await agent.get('/rapporter?ar=2021').expect(303).expect('Location', '/rapporter/2021');
    expect((await agent.get('/rapporter/tjugo').expect(400)).text).toContain('Året ska anges med fyra siffror');
    await t.http().get('/rapporter/2021').expect(303).expect('Location', '/logga-in?tillbaka=%2Frapporter%2F2021');
  });

  it('passes axe (WCAG 2.1 A and AA) in Chromium', async () => {
    const login = await t.http().post('/auth/login').send({ email: 'per.nystrom@example.se', password: 'demo-iop-2026' }).expect(200);
    const session = /iop_session=([^;]+)/.exec(String(login.headers['set-cookie']))?.[1] ?? '';
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ bypassCSP: true }); // axe-core is injected as an inline script; test/security-headers checks the pages have none of their own
      await context.addCookies([{ name: 'iop_session', value: session, url: t.started.url }]);
      const page = await context.newPage();
      await page.goto(`${t.started.url}/rapporter/2021`);
      expect(await page.title()).toBe('Uppföljning av arbetsmarknadsnämndens idéburna offentliga partnerskap 2021 – IOP-motorn');
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('prints to an A4 PDF whose first page renders to an image', async () => {
    const res = await t
      .as(auditor)
      .get('/committee/reports/2021.pdf')
      .buffer(true)
      .parse((stream, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200)
      .expect('Content-Type', 'application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/Type\s*\/Page[^s]/);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'arsrapport-'));
    try {
      await fs.writeFile(path.join(dir, 'arsrapport.pdf'), pdf);
      await run('pdftoppm', ['-png', '-f', '1', '-l', '1', '-r', '60', '-singlefile', path.join(dir, 'arsrapport.pdf'), path.join(dir, 'sida1')]);
      const png = await fs.readFile(path.join(dir, 'sida1.png'));
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      // IHDR: A4 portrait (210 × 297 mm) at 60 dpi is about 496 × 702 pixels.
      const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
      expect(Math.abs(width - 496)).toBeLessThanOrEqual(2);
      expect(Math.abs(height - 702)).toBeLessThanOrEqual(2);
      expect(png.length).toBeGreaterThan(10_000);
      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await fs.writeFile(SCREENSHOT, png);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('is for the secretariat, auditors and administrators only: a signatory gets 403', async () => {
    const refused = await t.as(signatory).get('/committee/reports/2021').expect(403);
    expect(refused.body.message).toBe('Bara nämndkansliet, revisorer och administratörer får ta fram nämndens årsrapport.');
    await t.as(signatory).get('/committee/reports/2021.pdf').expect(403);
    await t.http().get('/committee/reports/2021').expect(401);
    await t.admin().get('/committee/reports/2021').expect(200);
  });

  it('answers a bad year with a Swedish 400', async () => {
    const notAYear = await t.as(secretariat).get('/committee/reports/tjugo').expect(400);
    expect(notAYear.body.problems).toEqual([{ field: 'year', message: 'Året ska anges med fyra siffror, t.ex. 2021.' }]);
    const future = await t.as(secretariat).get('/committee/reports/2031').expect(400);
    expect(future.body.problems[0].message).toBe('Årsrapporten kan tas fram för åren 2000–2026.');
    await t.as(secretariat).get('/committee/reports/1999.pdf').expect(400);
  });

  it('shows a later year as it stood then: 2024 has Bromodellen 2024 and none of the IOPs that expired at the end of 2023', async () => {
    const later = (await t.as(secretariat).get('/committee/reports/2024').expect(200)).body as Report;
    expect(later.rows.map((r) => [r.name, r.validUntil])).toEqual([['Bromodellen 2024', '2025-12-31']]);
    expect(later.endingNextYear.map((e) => [e.name, e.decisionDue])).toEqual([['Bromodellen 2024', '2025-09-30']]);
  });

  it('reads the yearly reports the follow-up module stores (table follow_up_report) before any demo text', async () => {
    // One of the five without a stored report gets one, straight into the table as the follow-up module would write it.
    const [bare] = await t.dataSource.query(
      `SELECT a.id, p.organisation_id FROM agreement a JOIN agreement_party p ON p.agreement_id = a.id AND p.kind = 'civil_society'
        WHERE a.title = ANY($1) AND NOT EXISTS (SELECT 1 FROM follow_up_report r WHERE r.agreement_id = a.id AND r.year = 2021) LIMIT 1`,
      [SEED_002.map(([name]) => name)],
    );
    if (bare) {
      await t.dataSource.query(
        `INSERT INTO follow_up_report (agreement_id, year, organisation_id, text, participants_count, ga_progress_count, outcome_work, outcome_studies,
                                       outcome_other_activity, outcome_no_change, places_used, submitted_at)
         VALUES ($1, 2021, $2, 'Rapporten som lämnats in.', 70, 40, 10, 5, 10, 20, 40, '2022-03-01T09:00:00+01:00')`,
        [bare.id, bare.organisation_id],
      );
    }
    const stored: Array<{ title: string; text: string }> = await t.dataSource.query(
      `SELECT a.title, r.text FROM follow_up_report r JOIN agreement a ON a.id = r.agreement_id WHERE r.year = 2021 AND a.title = ANY($1)`,
      [SEED_002.map(([name]) => name)],
    );
    expect(stored.length).toBeGreaterThan(0);
    const again = (await t.as(secretariat).get('/committee/reports/2021').expect(200)).body as Report;
    for (const row of stored) expect(again.accounts.find((a) => a.name === row.title)?.account).toBe(row.text);
  });
});

describe('the committee report PDF without Chromium', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CHROMIUM_PATH: '/finns/inte/chromium' } });
  });
  afterAll(() => t.close());

  it('answers 503 with a Swedish message naming CHROMIUM_PATH, never 500', async () => {
    const res = await t.admin().get('/committee/reports/2022.pdf').expect(503);
    expect(res.body.message).toContain('CHROMIUM_PATH');
    expect(res.body.message).toContain('/finns/inte/chromium');
  });
});
