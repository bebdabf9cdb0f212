import { OutboxSenderService } from '@app/notifications/outbox-sender.service';
import { WeeklyDigestService } from '@app/notifications/weekly-digest.service';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { meetingPlan2018 } from '@workflows/funding-decision/__fixtures__/seed-004';
import { bromodellenBody, createBromodellenParties, createPerson, sendEvent, type BromodellenParties } from '@test/support/factories';
import { parseCalendar } from '@test/support/ical';
import { SmtpSink } from '@test/support/smtp-sink';
import { startTestApp, type TestApp } from '@test/support/test-app';

const SECRETARIAT = 'kansli@example.se';
const BASE = 'https://iop.example.se';
const SEED_TITLE = 'Arbetsmarknadsinriktade insatser i samarbete med Idrott & Service (LeanLink)';

/**
 * The shared views with two kinds of case side by side: a funding decision (seed 004) and an agreement
 * (Bromodellen) in the secretariat's weekly digest (over real SMTP), in people's calendar feeds, and in
 * the history of any case by its kind.
 */
describe('shared views over every kind of case: digest, calendar feed, history', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let p: BromodellenParties;
  let anne: string;
  let outsider: string;
  let leanlink: string;
  let decisionId: string;
  let onAgendaId: string;
  let agreementId: string;

  const proposal = (officials: Array<{ personId?: string; name: string }>, followUps: Array<{ key: string; kind: string; meetingId: string }>) => ({
    summary: 'Bildningsnämnden beviljar medel till genomförande av arbetsmarknadsinriktade insatser i samarbete med Idrott & Service.',
    amountKr: 530_000,
    budgetLine: 'Arbetsmarknadsinsatser',
    partner: { organisationId: leanlink },
    period: { startDate: '2018-06-01', endDate: '2018-12-31' },
    officials,
    recipients: [{ name: 'Leanlink – Stöd och Service', email: 'leanlink@example.se' }],
    followUps,
  });
  const send = (id: string, body: Record<string, unknown>) => t.as(p.secretariat.id).post(`/funding-decisions/${id}/events`).send(body);
  const digestMails = () => sink.received.filter((r) => (r.mail.subject ?? '').startsWith('IOP veckobrev'));
  const deliver = () => t.started.app.get(OutboxSenderService).deliverDue();
  const feedOf = async (personId: string) => {
    const { token } = (await t.as(personId).post(`/people/${personId}/calendar-token`).expect(201)).body as { token: string };
    return parseCalendar((await t.http().get('/calendar.ics').query({ token }).expect(200)).text).events;
  };

  beforeAll(async () => {
    await sink.listen();
    t = await startTestApp({
      now: '2018-05-20T08:00:00Z',
      env: { SECRETARIAT_EMAIL: SECRETARIAT, SMTP_URL: `smtp://127.0.0.1:${sink.port}`, PUBLIC_BASE_URL: BASE, DIGEST_HORIZON_DAYS: '180' },
    });
    p = await createBromodellenParties(t);
    leanlink = (await t.admin().post('/organisations').send({ name: 'Idrott & Service (Leanlink)', organisationNumber: '212000-0506', kind: 'municipality' }).expect(201)).body.id as string;
    anne = (await createPerson(t, { name: 'Anne Hallberg', email: 'anne.hallberg@example.se', organisationId: p.kommun.id }, ['member'])).id;
    const helena = (await createPerson(t, { name: 'Helena Paulsson', email: 'helena.paulsson@example.se', organisationId: p.kommun.id })).id;
    const redCross = (await t.admin().post('/organisations').send({ name: 'Röda Korset Linköping', organisationNumber: '802002-8711', kind: 'civil_society' }).expect(201)).body as { id: string };
    outsider = (await createPerson(t, { name: 'Anders Falk', email: 'anders@example.se', organisationId: redCross.id }, ['member'])).id;
    for (const m of meetingPlan2018()) {
      await t.as(p.secretariat.id).post('/meetings').send({ meetingId: m.meetingId, committee: m.committee, date: m.date, papersDueOn: m.papersDueOn }).expect(201);
    }

    // Seed 004: prepared and placed on the June agenda, granted on 19 June; Anne is its responsible official.
    t.clock.freeze('2018-06-01T08:00:00Z');
    const seed = proposal(
      [{ personId: anne, name: 'Anne Hallberg' }],
      [
        { key: 'muntlig-avstamning-september', kind: 'oral_check_in', meetingId: 'bin-2018-09' },
        { key: 'skriftlig-utvardering-december', kind: 'written_evaluation', meetingId: 'bin-2018-12' },
      ],
    );
    decisionId = (await t.as(p.secretariat.id).post('/funding-decisions').send({ committee: 'Bildningsnämnden', title: SEED_TITLE, preparedBy: 'Utbildningsförvaltningen', proposal: seed }).expect(201)).body.id as string;
    await send(decisionId, { type: 'PLACE_ON_AGENDA', meetingId: 'bin-2018-06' }).expect(200);

    // Bromodellen, signed in June, starting in September.
    agreementId = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { validity: { startDate: '2018-09-03', endDate: '2020-08-31' } })).expect(201)).body.id as string;
    for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))]) {
      await sendEvent(t, p, agreementId, body).expect(200);
    }

    t.clock.freeze('2018-06-19T12:00:00Z');
    await send(decisionId, { type: 'DECIDE', outcome: 'granted', paragraph: '§ 87' }).expect(200);

    // A second decision waits on the August agenda: its last day for papers is shown only (no timer). Helena is its official, not Anne.
    t.clock.freeze('2018-06-20T08:00:00Z');
    const summer = proposal([{ personId: helena, name: 'Helena Paulsson' }], [{ key: 'skriftlig-utvardering', kind: 'written_evaluation', meetingId: 'bin-2018-12' }]);
    onAgendaId = (await t.as(p.secretariat.id).post('/funding-decisions').send({ committee: 'Bildningsnämnden', title: 'Sommarlovsaktiviteter', preparedBy: 'Utbildningsförvaltningen', proposal: summer }).expect(201)).body.id as string;
    await send(onAgendaId, { type: 'PLACE_ON_AGENDA', meetingId: 'bin-2018-08' }).expect(200);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('the weekly digest mail lists both kinds’ dates with their Swedish labels, states and links', async () => {
    t.clock.freeze('2018-07-02T05:30:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
    await deliver();
    const [mail, ...more] = digestMails();
    expect(more).toEqual([]);
    expect(mail.rcptTo).toEqual([SECRETARIAT]);
    expect(mail.mail.subject).toBe('IOP veckobrev 2018-W27: 0 försenade, 4 datum de närmaste 180 dagarna');
    const text = mail.mail.text ?? '';
    const lines = [
      `- 2018-08-14  Beslut om medel Sommarlovsaktiviteter: Sista dag för handlingar till sammanträdet [På dagordningen]\n  ${BASE}/beslut-om-medel/${onAgendaId}`,
      `- 2018-09-03  Bromodellen (dnr AN 2023-0042): startdatum [`,
      `- 2018-09-11  Beslut om medel ${SEED_TITLE}: Muntlig avstämning på sammanträdet [Pågår]\n  ${BASE}/beslut-om-medel/${decisionId}`,
      `- 2018-12-04  Beslut om medel ${SEED_TITLE}: Skriftlig utvärdering på sammanträdet [Pågår]\n  ${BASE}/beslut-om-medel/${decisionId}`,
    ];
    const at = lines.map((line) => text.indexOf(line));
    expect(at.every((i) => i > text.indexOf('DE NÄRMASTE 180 DAGARNA (4)'))).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain(`${BASE}/overenskommelser/${agreementId}`);
    // The other decision's December evaluation (Sommarlovsaktiviteter) is not yet granted: no follow-up dates while on the agenda.
    expect(text).not.toContain('Sommarlovsaktiviteter: Skriftlig');
    const html = typeof mail.mail.html === 'string' ? mail.mail.html : '';
    expect(html).toContain('<th align="left">Ärende</th>');
    expect(html).toContain(`<a href="${BASE}/beslut-om-medel/${decisionId}">`);
    expect(html).toContain(`<a href="${BASE}/overenskommelser/${agreementId}">`);

    // The attachment: each upcoming date once, with the kind's words and a stable uid per (case, kind, cycle).
    const [row] = await t.dataSource.query<Array<{ ics: string }>>(`SELECT ics FROM outbox_message WHERE kind = 'weekly_digest' ORDER BY id DESC LIMIT 1`);
    const events = parseCalendar(row.ics).events;
    expect(events.map((e) => [e.start, e.summary])).toEqual([
      ['2018-08-14', 'Beslut om medel Sommarlovsaktiviteter: Sista dag för handlingar till sammanträdet'],
      ['2018-09-03', 'IOP Bromodellen: startdatum'],
      ['2018-09-11', `Beslut om medel ${SEED_TITLE}: Muntlig avstämning på sammanträdet`],
      ['2018-12-04', `Beslut om medel ${SEED_TITLE}: Skriftlig utvärdering på sammanträdet`],
    ]);
    expect(events[2]).toMatchObject({ uid: `funding_decision-${decisionId}-oral_check_in-0@iop.example.se`, url: `${BASE}/beslut-om-medel/${decisionId}` });
  });

  it('the calendar feed of the responsible official has the decision’s follow-up dates; an outsider’s has none', async () => {
    t.clock.freeze('2018-07-02T08:00:00Z');
    const mine = await feedOf(anne);
    const decisions = mine.filter((e) => e.summary.startsWith('Beslut om medel'));
    expect(decisions.map((e) => [e.start, e.summary, e.uid])).toEqual([
      ['2018-09-11', `Beslut om medel ${SEED_TITLE}: Muntlig avstämning på sammanträdet`, `funding_decision-${decisionId}-oral_check_in-0@iop.example.se`],
      ['2018-12-04', `Beslut om medel ${SEED_TITLE}: Skriftlig utvärdering på sammanträdet`, `funding_decision-${decisionId}-written_evaluation-1@iop.example.se`],
    ]);
    expect(decisions[0].url).toBe(`${BASE}/beslut-om-medel/${decisionId}`);
    // The same uids on the next refresh, so calendars update the entries instead of adding them.
    expect((await feedOf(anne)).map((e) => e.uid)).toEqual(mine.map((e) => e.uid));
    expect(await feedOf(outsider)).toEqual([]);
    // The secretariat sees every decision, the one on the August agenda too.
    const kansli = (await feedOf(p.secretariat.id)).filter((e) => e.summary.startsWith('Beslut om medel')).map((e) => e.start);
    expect(kansli).toEqual(['2018-08-14', '2018-09-11', '2018-12-04']);
  });

  it('GET /cases/:type/:id/history(.csv) for a funding decision, in the agreement’s row shape; 404 for an outsider and an unknown kind', async () => {
    const history = (await t.as(anne).get(`/cases/funding_decision/${decisionId}/history`).expect(200)).body as Array<Record<string, unknown>>;
    expect(history.map((e) => e.eventType)).toEqual(['PREPARE', 'PLACE_ON_AGENDA', 'DECIDE']);
    expect(history[0]).toMatchObject({ caseType: 'funding_decision', caseId: decisionId, agreementId: decisionId, seq: 1, outcome: 'applied', actorName: 'Nämndsekreterare Nina' });
    const agreementRows = (await t.as(p.secretariat.id).get(`/agreements/${agreementId}/history`).expect(200)).body as Array<Record<string, unknown>>;
    expect(Object.keys(history[0]).sort()).toEqual(Object.keys(agreementRows[0]).sort());
    // The agreement through the generic route is the same history.
    expect((await t.as(p.secretariat.id).get(`/cases/agreement/${agreementId}/history`).expect(200)).body).toEqual(agreementRows);

    const csv = await t.as(anne).get(`/cases/funding_decision/${decisionId}/history.csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe((await t.as(p.secretariat.id).get(`/agreements/${agreementId}/history.csv`).expect(200)).text.replace(/^\uFEFF/, '').split('\r\n')[0]);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain('DECIDE');

    for (const path of ['history', 'history.csv']) {
      const hidden = (await t.as(outsider).get(`/cases/funding_decision/${decisionId}/${path}`).expect(404).expect('Content-Type', /json/)).body;
      expect(hidden.message).toBe('Beslutet om medel finns inte.');
      const unknown = (await t.as(p.secretariat.id).get(`/cases/bygglov/${decisionId}/${path}`).expect(404)).body;
      expect(unknown.message).toBe('Ärendet finns inte.');
      await t.as(p.secretariat.id).get(`/cases/funding_decision/not-a-uuid/${path}`).expect(404);
      await t.as(p.secretariat.id).get(`/cases/funding_decision/00000000-0000-4000-8000-000000000000/${path}`).expect(404);
      // An agreement's id under the other kind is not found either: the kind names the table.
      await t.as(p.secretariat.id).get(`/cases/funding_decision/${agreementId}/${path}`).expect(404);
      await t.http().get(`/cases/funding_decision/${decisionId}/${path}`).expect(401);
    }
    // Anne is neither an official of the other decision nor a member of its partner: not hers to read.
    await t.as(anne).get(`/cases/funding_decision/${onAgendaId}/history`).expect(404);
  });

  it('names a passed follow-up the sweeper has not handled, then the one the kind marked overdue', async () => {
    // Wednesday of week 39, no sweep since July: the September check-in's timer is due but unfired.
    t.clock.freeze('2018-09-26T09:00:00Z');
    expect(await t.started.app.get(WeeklyDigestService).sendIfDue()).toBe(true);
    await deliver();
    const w39 = digestMails().find((m) => (m.mail.subject ?? '').includes('2018-W39'))?.mail.text ?? '';
    expect(w39).toContain(`- 2018-09-11  Beslut om medel ${SEED_TITLE}: Muntlig avstämning på sammanträdet (datumet har passerats men inte hanterats) [Pågår]`);
    // The August agenda's last day for papers has passed without being overdue: no longer watched.
    expect(w39).not.toContain('Sommarlovsaktiviteter: Sista dag');

    // Monday of week 40: the sweep fires the timer first, and the kind shows the check-in overdue.
    t.clock.freeze('2018-10-01T05:30:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
    await deliver();
    const w40 = digestMails().find((m) => (m.mail.subject ?? '').includes('2018-W40'))?.mail.text ?? '';
    const overdue = w40.indexOf(`- 2018-09-11  Beslut om medel ${SEED_TITLE}: Muntlig avstämning på sammanträdet (försenad) [Pågår]`);
    expect(overdue).toBeGreaterThan(w40.indexOf('FÖRSENAT ('));
    expect(overdue).toBeLessThan(w40.indexOf('DE NÄRMASTE 180 DAGARNA'));
    expect(w40).toContain(`- 2018-12-04  Beslut om medel ${SEED_TITLE}: Skriftlig utvärdering på sammanträdet [Pågår]`);
  });
});
