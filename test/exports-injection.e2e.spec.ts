import { AccountsService } from '@app/auth/accounts.service';
import { csvCell, csvDocument } from '@app/common/csv';
import { createBromodellenParties, bromodellenBody, type BromodellenParties, createPerson } from '@test/support/factories';
import * as ICAL from 'ical.js';
import { parseCalendar } from '@test/support/ical';
import { startTestApp, type TestApp } from '@test/support/test-app';

describe('one CSV helper', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1'])('defuses a cell starting %j', (value) => {
    expect(csvCell(value).replace(/^"/, '')).toMatch(/^'/);
  });

  it('quotes separators, quotes and line ends; leaves plain text alone', () => {
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('säg "hej"')).toBe('"säg ""hej"""');
    expect(csvCell('rad\nrad')).toBe('"rad\nrad"');
    expect(csvCell('Bromodellen')).toBe('Bromodellen');
    expect(csvDocument(['a', 'b'], [['1', '=2']], ';')).toBe("\uFEFFa;b\r\n1;'=2\r\n");
  });
});

describe('exports: CSV and calendar injection', () => {
  let t: TestApp;
  let p: BromodellenParties;

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-10-01T08:00:00Z' });
    p = await createBromodellenParties(t);
  });
  afterAll(() => t.close());

  /** The secretariat's session: the page's export needs a real sign-in (the API's takes it too). */
  let session = '';
  const cookie = async (): Promise<string> => {
    if (session) return session;
    await t.started.app.get(AccountsService).upsert(p.secretariat.id, 'export-test-lösenord-1', ['secretariat']);
    const login = await t.http().post('/auth/login').send({ email: 'nina@example.se', password: 'export-test-lösenord-1' }).expect(200);
    session = String(login.headers['set-cookie']?.[0]).split(';')[0] ?? '';
    return session;
  };

  it('the history CSV defuses cells starting with TAB or CR, like the portfolio CSV', async () => {
    // Reasons are trimmed before they are stored; a person's name is kept as registered.
    for (const [name, email] of [['\t=HYPERLINK("http://evil.example","x")', 'tab@example.se'], ['\r=1+1', 'cr@example.se']] as const) {
      const officer = await createPerson(t, { name, email, organisationId: p.kommun.id }, ['secretariat']);
      const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
      await t.as(officer.id).post(`/agreements/${id}/events`).send({ type: 'DECLINE_INITIATIVE', reason: 'Utanför nämndens uppdrag' }).expect(200);
      // The API's export keeps commas (integrations read it); the page's export for Excel uses semicolons.
      for (const [path, separator] of [[`/agreements/${id}/history.csv`, ','], [`/overenskommelser/${id}/historik.csv`, ';']] as const) {
        const csv = (await t.http().get(path).set('Cookie', await cookie()).expect(200)).text;
        const cell = csv.split(separator).find((c) => c.includes('=HYPERLINK') || c.includes('=1+1'));
        expect({ path, cell: cell?.replace(/^"/, '').slice(0, 3) }).toEqual({ path, cell: expect.stringMatching(/^'[\t\r]=/) });
      }
    }
  });

  it('a name with CRLF and BEGIN:VEVENT stays the calendar name: no event is added to the feed', async () => {
    const name = 'Eva\r\nEND:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:falsk\r\nSUMMARY:Falsk händelse\r\nDTSTART;VALUE=DATE:20240101\r\nEND:VEVENT\r\nX-A:';
    const eva = await createPerson(t, { name, email: 'eva.crlf@example.se', organisationId: p.kommun.id }, ['secretariat']);
    const token = (await t.as(eva.id).post(`/people/${eva.id}/calendar-token`).expect(201)).body.token as string;
    const res = await t.http().get('/calendar.ics').query({ token }).expect(200);
    expect(res.text.match(/^BEGIN:VEVENT/gm) ?? []).toHaveLength(0);
    expect(res.text).not.toMatch(/^UID:falsk/m);
    const parsed = parseCalendar(res.text);
    expect(parsed.events).toEqual([]);
    const calendar = new ICAL.Component(ICAL.parse(res.text));
    // One property line each, its line breaks escaped (ical.js leaves unknown properties' escapes as they are).
    for (const property of ['x-wr-calname', 'name']) expect(String(calendar.getFirstPropertyValue(property))).toMatch(/^IOP-datum – Eva\\nEND:VCALENDAR\\nBEGIN:VEVENT/);
  });
});
