import { Client } from 'pg';
import { cloneSignedAgreements, createSignedTemplate, type SignedTemplate } from '@test/support/agreement-copies';
import { TEST_ADMINISTRATOR } from '@test/support/test-app';
import { HttpSession } from '@test/web/support/http-session';
import { withPasswords } from '@test/web/support/session';
import { startWebTestApp, type WebTestApp } from '@test/web/support/web-app';

/**
 * Lists answer in pages: a bounded page size, a stable order, and a cursor in a Link header that
 * walks every row exactly once, even when rows share the sort key and when rows arrive while a
 * person is paging.
 */
describe('paged lists', () => {
  let t: WebTestApp;
  let superuser: Client;

  beforeAll(async () => {
    t = await startWebTestApp('2026-12-01T08:00:00Z');
    superuser = new Client({ connectionString: t.db.url });
    await superuser.connect();
    // 130 organisations, every tenth sharing its name with the one before (ties broken by id), each with two people.
    await superuser.query(
      `INSERT INTO organisation (name, organisation_number, kind)
       SELECT 'Förening ' || lpad(((g / 10) * 10 + CASE WHEN g % 10 = 0 THEN 1 ELSE g % 10 END)::text, 3, '0'), '802' || lpad(g::text, 3, '0') || '-0000', 'civil_society'
         FROM generate_series(1, 130) g`,
    );
    await superuser.query(
      `INSERT INTO person (name, email, organisation_id)
       SELECT 'Person ' || o.name || ' ' || n, 'p' || n || '.' || o.organisation_number || '@example.se', o.id
         FROM organisation o, generate_series(1, 2) n WHERE o.name LIKE 'Förening %'`,
    );
  });
  afterAll(async () => {
    await superuser?.end();
    await t?.close();
  });

  /** Follows rel="next" from the first page to the last, returning every page's body. */
  async function walk(firstUrl: string): Promise<Array<Array<Record<string, unknown>>>> {
    const pages: Array<Array<Record<string, unknown>>> = [];
    let url: string | null = firstUrl;
    while (url) {
      const res = await t.admin().get(url).expect(200);
      pages.push(res.body);
      const link = res.headers.link as string | undefined;
      url = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : null;
      expect(pages.length).toBeLessThan(50);
    }
    return pages;
  }

  it('gives 50 rows by default and walks all organisations once, in name order, ties by id', async () => {
    const all = (await t.admin().get('/organisations?limit=200').expect(200)).body as Array<{ id: string; name: string }>;
    const pages = await walk('/organisations');
    expect(pages.map((p) => p.length)).toEqual([50, 50, all.length - 100]);
    const walked = pages.flat() as Array<{ id: string; name: string }>;
    expect(walked.map((o) => o.id)).toEqual(all.map((o) => o.id));
    expect(new Set(walked.map((o) => o.id)).size).toBe(walked.length);
    expect(all.length).toBe(131); // 130 and the administrator's own organisation
    const names = walked.map((o) => o.name);
    expect([...names].sort((a, b) => a.localeCompare(b, 'sv'))).toEqual(names);
  });

  it('keeps a filter on every page and never repeats a row when rows are added while paging', async () => {
    const first = await t.admin().get('/people?limit=100').expect(200);
    // A person whose name sorts before the next page's first row: pages already read are not shifted.
    await superuser.query(`INSERT INTO person (name, email, organisation_id) SELECT 'Aaron Först', 'aaron@example.se', id FROM organisation LIMIT 1`);
    const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.link)![1];
    expect(next).toContain('limit=100');
    const rest = await walk(next);
    const ids = [...(first.body as Array<{ id: string }>), ...(rest.flat() as Array<{ id: string }>)].map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(261); // 260 and the administrator; Aaron sorts onto the first page, already read

    const organisation = (await t.admin().get('/organisations?limit=1').expect(200)).body[0] as { id: string };
    const own = await walk(`/people?organisationId=${organisation.id}&limit=1`);
    expect(own.flat().every((p) => p.organisationId === organisation.id)).toBe(true);
  });

  it('refuses a page size out of bounds or a cursor it did not give, naming the parameter', async () => {
    for (const limit of ['0', '201', 'femtio', '-1', '1.5']) {
      const res = await t.admin().get(`/organisations?limit=${limit}`).expect(400);
      expect(res.body.problems).toEqual([{ field: 'limit', message: 'limit ska vara ett heltal från 1 till 200.' }]);
    }
    for (const after of ['inte-en-markör', Buffer.from('[1]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url'), 'x'.repeat(3000)]) {
      const res = await t.admin().get(`/organisations?after=${encodeURIComponent(after)}`).expect(400);
      expect(res.body.problems[0].field).toBe('after');
    }
    await t.admin().get('/accounts?limit=500').expect(400);
    // A cursor of the right shape whose values its columns cannot take: still the client's error.
    const forged = Buffer.from(JSON.stringify(['inte ett datum', 'x', 'y'])).toString('base64url');
    expect((await t.admin().get(`/meetings?after=${forged}`).expect(400)).body.problems[0].field).toBe('after');
    expect((await t.admin().get(`/incidents?after=${forged}`).expect(400)).body.problems[0].field).toBe('after');
  });

  it('pages incidents open first, newest first, also when several were opened in the same microsecond', async () => {
    await superuser.query(
      `INSERT INTO incident (source, row_id, summary, error, attempts, opened_at, last_seen_at, resolved_at, resolution)
       SELECT 'outbox', g, 'Utskick ' || g, 'fel', 5, timestamp '2026-11-30 10:00:00.123456' + ((g / 4) || ' seconds')::interval, now(),
              CASE WHEN g % 3 = 0 THEN now() END, CASE WHEN g % 3 = 0 THEN 'dismissed' END
         FROM generate_series(1, 60) g`,
    );
    const expected = (
      await superuser.query<{ id: string }>(`SELECT id FROM incident ORDER BY (resolved_at IS NULL) DESC, opened_at DESC, id DESC`)
    ).rows.map((r) => Number(r.id));
    const pages = await walk('/incidents?limit=7');
    expect(pages.flat().map((i) => Number(i.id))).toEqual(expected);
    const open = await walk('/incidents?status=open&limit=7');
    expect(open.flat()).toHaveLength(40);
    expect(open.flat().every((i) => i.resolvedAt === null)).toBe(true);

    await withPasswords(t, [[{ id: t.administratorId }, ['administrator']]]);
    const web = await HttpSession.signIn(t, TEST_ADMINISTRATOR.email);
    const first = await web.get('/administration/incidenter').expect(200);
    expect(first.text).toContain('40 öppna incidenter.');
    const next = /<a href="([^"]+)" rel="next">Nästa sida<\/a>/.exec(first.text)![1].replace(/&amp;/g, '&');
    const second = await web.get(next).expect(200);
    expect(second.text).toContain('40 öppna incidenter.');
    expect(second.text).toContain('Första sidan');
    const rowsOf = (text: string) => [...text.matchAll(/<th scope="row">(\d+)<\/th>/g)].map((m) => Number(m[1]));
    expect([...rowsOf(first.text), ...rowsOf(second.text)]).toEqual(expected.slice(0, rowsOf(first.text).length + rowsOf(second.text).length));
    expect(rowsOf(first.text)).toHaveLength(50);
  });
});

/** The agreements' list, the overview and Portfölj at a size where paging matters, with rows copied by SQL. */
describe('paged agreements, overview and Portfölj', () => {
  let t: WebTestApp;
  let ids: string[];
  let template: SignedTemplate;

  beforeAll(async () => {
    t = await startWebTestApp('2023-10-01T08:00:00Z');
    template = await createSignedTemplate(t.started, undefined, t);
    // 130 copies, all with the same next deadline and title: only the id orders them.
    ids = [template.id, ...(await cloneSignedAgreements(t.db.url, template, { count: 130, timerDueAtSql: 'd.due' }))];
  });
  afterAll(() => t?.close());

  async function walk(firstUrl: string, as: string): Promise<Array<Array<Record<string, unknown>>>> {
    const pages: Array<Array<Record<string, unknown>>> = [];
    let url: string | null = firstUrl;
    while (url) {
      const res = await t.as(as).get(url).expect(200);
      pages.push(res.body);
      const link = res.headers.link as string | undefined;
      url = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : null;
      expect(pages.length).toBeLessThan(20);
    }
    return pages;
  }

  it('walks every agreement once through GET /agreements, ties in the order broken by id, each page read from the rows alone', async () => {
    const pages = await walk('/agreements?limit=40&state=signed', template.administratorId);
    expect(pages.map((p) => p.length)).toEqual([40, 40, 40, 11]);
    const walked = pages.flat().map((a) => a.id as string);
    expect(new Set(walked).size).toBe(131);
    expect([...walked].sort()).toEqual([...ids].sort());
    expect(walked).toEqual([...walked].sort());
    const first = pages[0][0] as { state: string; nextDeadline: { kind: string }; deadlines: Array<{ kind: string }>; extension: { used: number } };
    expect(first).toMatchObject({ state: 'signed', nextDeadline: { kind: 'start' }, extension: { used: 0 } });
    expect(first.deadlines.map((d) => d.kind)).toEqual(['start', 'end']);
    expect((await t.as(template.administratorId).get('/agreements?state=active').expect(200)).body).toEqual([]);
  });

  it('pages the overview, and Portfölj sums every agreement, not only the page it shows', async () => {
    const pages = await walk('/overview?limit=50', template.administratorId);
    expect(pages.flat()).toHaveLength(131);
    expect(new Set(pages.flat().map((r) => r.agreementId)).size).toBe(131);
    expect(pages.flat()[0]).toMatchObject({ partners: ['Studieförbundet Bilda Sydöst', 'Erikshjälpen Linköping'], estimatedValuePerYearKr: 2368800 });

    await withPasswords(t, [[{ id: template.administratorId }, ['administrator']]]);
    const web = await HttpSession.signIn(t, TEST_ADMINISTRATOR.email);
    const portfolio = await web.get('/portfolj?sortera=kostnad&ordning=fallande').expect(200);
    expect(portfolio.text).toContain('Summa, alla 131 överenskommelser');
    expect(portfolio.text).toContain(`${(131 * 2368800).toLocaleString('sv-SE').replace(/\s/g, '\u00a0')}\u00a0kr`);
    expect(portfolio.text).toContain('rel="next"');
    const csv = await web.get('/portfolj.csv').expect(200);
    expect(csv.text.trim().split('\r\n')).toHaveLength(132);
  });
});
