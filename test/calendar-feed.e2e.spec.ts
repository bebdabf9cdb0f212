import { CaseDatesService } from '@app/cases/case-dates.service';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { createBromodellenParties, bromodellenBody, type BromodellenParties, sendEvent, createPerson } from '@test/support/factories';
import { lineProblems, parseCalendar } from '@test/support/ical';
import { startTestApp, type TestApp } from '@test/support/test-app';

describe('calendar feed: GET /calendar.ics?token=…', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let agreementId: string;
  let outsider: { id: string };

  beforeAll(async () => {
    // A window of two years, so the end date 19 months ahead is listed (the default 18 months is tested in case-deadlines).
    t = await startTestApp({ now: '2023-10-01T08:00:00Z', env: { PUBLIC_BASE_URL: 'https://iop.example.se', CALENDAR_MONTHS_AHEAD: '24' } });
    p = await createBromodellenParties(t);
    agreementId = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))]) {
      await sendEvent(t, p, agreementId, body).expect(200);
    }
    t.clock.freeze('2024-06-01T08:00:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
    const redCross = (await t.admin().post('/organisations').send({ name: 'Röda Korset Linköping', organisationNumber: '802002-8711', kind: 'civil_society' }).expect(201)).body as { id: string };
    outsider = await createPerson(t, { name: 'Anders Falk', email: 'anders@example.se', organisationId: redCross.id }, ['member']);
  });
  afterAll(() => t.close());

  const issue = async (personId: string) => (await t.as(personId).post(`/people/${personId}/calendar-token`).expect(201)).body as { token: string; feedUrl: string };

  it('lists every upcoming deadline, parsed by an independent iCalendar reader; the token is stored only as its hash', async () => {
    const { token, feedUrl } = await issue(p.bildaSignatory.id);
    expect(feedUrl).toBe(`https://iop.example.se/calendar.ics?token=${token}`);
    const stored = await t.dataSource.query(`SELECT token_hash FROM calendar_token WHERE person_id = $1`, [p.bildaSignatory.id]);
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await t.dataSource.query(`SELECT * FROM calendar_token`))).not.toContain(token);

    const res = await t.http().get('/calendar.ics').query({ token }).expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(lineProblems(res.text)).toEqual([]);
    const { events } = parseCalendar(res.text);
    expect(events.map((e) => [e.start, e.summary, e.allDay])).toEqual([
      ['2025-03-31', 'IOP Bromodellen: beslut om förlängning kan fattas från och med', true],
      ['2025-09-30', 'IOP Bromodellen: sista dag för beslut om förlängning', true],
      ['2025-12-31', 'IOP Bromodellen: sista giltighetsdag', true],
    ]);
    expect(events[1]).toMatchObject({ uid: `iop-${agreementId}-decision_due-1@iop.example.se`, url: `https://iop.example.se/overenskommelser/${agreementId}` });
  });

  it('people of the municipality see every agreement, others only those their organisation is party to', async () => {
    const mine = parseCalendar((await t.http().get('/calendar.ics').query({ token: (await issue(outsider.id)).token }).expect(200)).text);
    expect(mine.events).toEqual([]);
    const kommun = parseCalendar((await t.http().get('/calendar.ics').query({ token: (await issue(p.secretariat.id)).token }).expect(200)).text);
    expect(kommun.events).toHaveLength(3);
  });

  it('refuses a revoked, replaced, unknown or missing token with 404', async () => {
    const first = await issue(p.ehSignatory.id);
    const second = await issue(p.ehSignatory.id);
    await t.http().get('/calendar.ics').query({ token: first.token }).expect(404);
    await t.http().get('/calendar.ics').query({ token: second.token }).expect(200);
    await t.as(p.ehSignatory.id).delete(`/people/${p.ehSignatory.id}/calendar-token`).expect(204);
    await t.http().get('/calendar.ics').query({ token: second.token }).expect(404);
    await t.http().get('/calendar.ics').query({ token: 'not-a-token' }).expect(404);
    await t.http().get('/calendar.ics').expect(404);
  });

  it('a named person manages only their own link, unless they work for the municipality; an unknown person is 404', async () => {
    await t.as(outsider.id).post(`/people/${p.bildaSignatory.id}/calendar-token`).expect(403);
    await t.as(p.secretariat.id).post(`/people/${p.bildaSignatory.id}/calendar-token`).expect(201);
    await t.as(p.secretariat.id).post('/people/00000000-0000-4000-8000-000000000000/calendar-token').expect(404);
  });

  it('a person asked for again while their feed is built gets that build; a crowd of people gets 503 with Retry-After, not timeouts', async () => {
    const people = [p.bildaSignatory.id, outsider.id];
    for (let i = 0; i < 53; i++) people.push((await createPerson(t, { name: `Kalenderläsare ${i}`, email: `kalender${i}@example.se`, organisationId: p.kommun.id })).id);
    const tokens = await Promise.all(people.map(async (id) => (await issue(id)).token));
    // Every build waits at the date read until released, so the crowd is all there at once.
    const dates = t.started.app.get(CaseDatesService);
    const read = dates.dates.bind(dates);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const spy = jest.spyOn(dates, 'dates').mockImplementation(async (...args) => {
      await gate;
      return read(...args);
    });
    try {
      const same = Array.from({ length: 20 }, () => t.http().get('/calendar.ics').query({ token: tokens[0] }).then((r) => r));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const crowd = tokens.slice(1).map((token) => t.http().get('/calendar.ics').query({ token }).then((r) => r));
      // One more builds, fifty wait; the rest are told when to come back.
      await new Promise((resolve) => setTimeout(resolve, 700));
      release();
      const [mine, others] = await Promise.all([Promise.all(same), Promise.all(crowd)]);
      expect(new Set(mine.map((r) => `${r.status} ${r.text}`)).size).toBe(1);
      expect(mine[0].status).toBe(200);
      const refused = others.filter((r) => r.status === 503);
      expect([others.length - refused.length, refused.length]).toEqual([51, 3]);
      expect(others.filter((r) => r.status !== 503).every((r) => r.status === 200)).toBe(true);
      expect(refused[0].headers['retry-after']).toBe('60');
      expect(refused[0].text).toContain('Många kalendrar hämtas just nu');
      // One build for the twenty asks of one person, one for each person let in.
      expect(spy).toHaveBeenCalledTimes(52);
    } finally {
      spy.mockRestore();
    }
  });
});
