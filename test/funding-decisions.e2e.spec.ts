import { OutboxSenderService } from '@app/notifications/outbox-sender.service';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { addDays } from '@workflows/calendar/calendar';
import { meetingPlan2018 } from '@workflows/funding-decision/__fixtures__/seed-004';
import { createPerson } from '@test/support/factories';
import { SmtpSink } from '@test/support/smtp-sink';
import { startTestApp, type TestApp } from '@test/support/test-app';

const SECRETARIAT = 'kansli@example.se';

/**
 * Seed 004 through the service: bildningsnämnden grants 530 000 kr to Idrott & Service (Leanlink),
 * lived day by day from the proposal in June 2018 to the written evaluation in December, with a
 * real SMTP server: the decision reaches its recipients when it is sent, the officials are reminded
 * before each follow-up's paper deadline, the same engine, sweeper, outbox and audit as agreements.
 */
describe('a funding decision (beslut om medel, seed 004) through the engine', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let people: { nina: string; anne: string; helena: string; outsider: string; kommun: string; leanlink: string };

  const proposal = (overrides: Record<string, unknown> = {}) => ({
    summary: 'Bildningsnämnden beviljar medel till genomförande av arbetsmarknadsinriktade insatser i samarbete med Idrott & Service.',
    amountKr: 530_000,
    budgetLine: 'Arbetsmarknadsinsatser',
    partner: { organisationId: people.leanlink },
    period: { startDate: '2018-06-01', endDate: '2018-12-31' },
    officials: [
      { personId: people.anne, name: 'Anne Hallberg' },
      { personId: people.helena, name: 'Helena Paulsson' },
    ],
    recipients: [
      { name: 'Leanlink – Stöd och Service', email: 'leanlink@example.se' },
      { name: 'Jobb- och kunskapstorget', email: 'jkt@example.se' },
      { name: 'Socialförvaltningen (AFI)', email: 'afi@example.se' },
      { name: 'Arbetsförmedlingen' },
    ],
    followUps: [
      { key: 'muntlig-avstamning-september', kind: 'oral_check_in', meetingId: 'bin-2018-09' },
      { key: 'skriftlig-utvardering-december', kind: 'written_evaluation', meetingId: 'bin-2018-12' },
    ],
    ...overrides,
  });
  const create = (overrides: Record<string, unknown> = {}) =>
    t
      .as(people.nina)
      .post('/funding-decisions')
      .send({ committee: 'Bildningsnämnden', title: 'Arbetsmarknadsinriktade insatser i samarbete med Idrott & Service (LeanLink)', preparedBy: 'Utbildningsförvaltningen', proposal: proposal(overrides) });
  const send = (as: string, id: string, body: Record<string, unknown>) => t.as(as).post(`/funding-decisions/${id}/events`).send(body);

  beforeAll(async () => {
    await sink.listen();
    t = await startTestApp({ now: '2018-05-20T08:00:00Z', env: { SECRETARIAT_EMAIL: SECRETARIAT, SMTP_URL: `smtp://127.0.0.1:${sink.port}` } });
    const org = async (name: string, organisationNumber: string, kind: string) => (await t.admin().post('/organisations').send({ name, organisationNumber, kind }).expect(201)).body.id as string;
    const kommun = await org('Linköpings kommun', '212000-0449', 'municipality');
    const leanlink = await org('Idrott & Service (Leanlink)', '212000-0506', 'municipality');
    const bilda = await org('Studieförbundet Bilda Sydöst', '817602-0520', 'civil_society');
    const nina = (await createPerson(t, { name: 'Nämndsekreterare Nina', email: 'nina@example.se', organisationId: kommun }, ['secretariat'])).id;
    const anne = (await createPerson(t, { name: 'Anne Hallberg', email: 'anne.hallberg@example.se', organisationId: kommun }, ['member'])).id;
    const helena = (await createPerson(t, { name: 'Helena Paulsson', email: 'helena.paulsson@example.se', organisationId: kommun })).id;
    const outsider = (await createPerson(t, { name: 'Bilda Firmatecknare', email: 'bilda@example.se', organisationId: bilda }, ['signatory'])).id;
    people = { nina, anne, helena, outsider, kommun, leanlink };
    for (const m of meetingPlan2018()) {
      await t.as(nina).post('/meetings').send({ meetingId: m.meetingId, committee: m.committee, date: m.date, papersDueOn: m.papersDueOn }).expect(201);
    }
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('lives seed 004 day by day: decided in June, sent to its recipients, reminders before September and December, closed by the evaluation', async () => {
    const sweeper = t.started.app.get(TimerSweeperService);
    const sender = t.started.app.get(OutboxSenderService);
    t.clock.freeze('2018-06-01T08:00:00Z');
    const created = (await create().expect(201)).body;
    expect(created).toMatchObject({ state: 'preparation', stateLabel: 'Förslag till beslut', amountKr: 530000, committee: 'Bildningsnämnden' });
    expect(created.proposal.partner).toEqual({ organisationId: people.leanlink, name: 'Idrott & Service (Leanlink)' });
    const id = created.id as string;

    const arrivals: Array<{ date: string; to: string; subject: string }> = [];
    const actions: Record<string, () => Promise<unknown>> = {
      '2018-06-01': () => send(people.nina, id, { type: 'PLACE_ON_AGENDA', meetingId: 'bin-2018-06' }).expect(200),
      '2018-06-19': () => send(people.nina, id, { type: 'DECIDE', outcome: 'granted', paragraph: '§ 87' }).expect(200),
      '2018-06-20': () => send(people.nina, id, { type: 'SEND_DECISION' }).expect(200),
      // The official responsible records the oral check-in herself.
      '2018-09-25': () => send(people.anne, id, { type: 'RECORD_FOLLOW_UP', key: 'muntlig-avstamning-september', heldOn: '2018-09-25' }).expect(200),
      '2018-12-18': () => send(people.nina, id, { type: 'RECORD_FOLLOW_UP', key: 'skriftlig-utvardering-december', heldOn: '2018-12-18', note: 'Utvärderingen presenterades skriftligen.' }).expect(200),
    };
    for (let day = '2018-06-01'; day <= '2018-12-31'; day = addDays(day, 1)) {
      t.clock.freeze(`${day}T09:00:00Z`);
      await actions[day]?.();
      await sweeper.sweep();
      const before = sink.received.length;
      await sender.deliverDue();
      for (const r of sink.received.slice(before)) for (const to of r.rcptTo) arrivals.push({ date: day, to, subject: r.mail.subject ?? '' });
    }

    const final = (await t.as(people.nina).get(`/funding-decisions/${id}`).expect(200)).body;
    expect(final).toMatchObject({ state: 'closed', expeditedOn: '2018-06-20', decision: { outcome: 'granted', decidedOn: '2018-06-19', paragraph: '§ 87' } });
    expect(final.deadlines).toEqual([]);

    // Expediering: each recipient with an address once, the secretariat a copy naming the one without.
    const decisions = arrivals.filter((a) => a.subject.startsWith('Beslut:'));
    expect(decisions.map((a) => `${a.date} ${a.to}`).sort()).toEqual(
      ['afi@example.se', 'jkt@example.se', 'leanlink@example.se', SECRETARIAT].map((to) => `2018-06-20 ${to}`).sort(),
    );
    const copy = sink.received.find((r) => r.rcptTo.includes(SECRETARIAT) && (r.mail.subject ?? '').startsWith('Beslut:'));
    expect(copy?.mail.text).toContain('Utan e-postadress, expediera på annat sätt: Arbetsförmedlingen.');
    expect(copy?.mail.text).toContain('530 000 kr');

    // Reminders: 14 and 3 days before each follow-up's paper deadline (2018-09-11, 2018-12-04), to both officials with accounts and the secretariat.
    const reminders = arrivals.filter((a) => a.subject.startsWith('Påminnelse:'));
    const byDay = (date: string) => reminders.filter((a) => a.date === date).map((a) => a.to).sort();
    // Helena has no account: she is a person with an address, and reminders reach people, not accounts.
    const officials = ['anne.hallberg@example.se', 'helena.paulsson@example.se', SECRETARIAT].sort();
    expect([...new Set(reminders.map((a) => a.date))]).toEqual(['2018-08-28', '2018-09-08', '2018-11-20', '2018-12-01']);
    for (const date of ['2018-08-28', '2018-09-08', '2018-11-20', '2018-12-01']) expect(byDay(date)).toEqual(officials);
    expect(arrivals.filter((a) => a.subject.startsWith('Försenad'))).toEqual([]);

    // One history, hash-chained like an agreement's, verified by the same verifier.
    const verify = (await t.as(people.nina).get('/audit/verify').expect(200)).body;
    expect(verify.intact).toBe(true);
    expect(verify.agreements).toContainEqual(expect.objectContaining({ agreementId: id, caseType: 'funding_decision', status: 'intact' }));
    const events = await t.dataSource.query(`SELECT event_type, from_state, to_state, outcome, actor_name FROM audit_event WHERE case_id = $1 ORDER BY seq`, [id]);
    expect(events.map((e: { event_type: string; to_state: string }) => `${e.event_type}→${e.to_state}`)).toEqual([
      'PREPARE→preparation',
      'PLACE_ON_AGENDA→on_agenda',
      'DECIDE→in_progress',
      'SEND_DECISION→in_progress',
      'RECORD_FOLLOW_UP→in_progress',
      'RECORD_FOLLOW_UP→closed',
    ]);
    expect(events[4].actor_name).toBe('Anne Hallberg');
  });

  it('moves the follow-up deadlines when the secretariat moves a meeting, recorded in the case history', async () => {
    t.clock.freeze('2018-06-02T08:00:00Z');
    const id = (await create().expect(201)).body.id as string;
    await send(people.nina, id, { type: 'PLACE_ON_AGENDA', meetingId: 'bin-2018-06' }).expect(200);
    t.clock.freeze('2018-06-19T12:00:00Z');
    await send(people.nina, id, { type: 'DECIDE', outcome: 'granted', paragraph: '§ 88' }).expect(200);
    const moved = (await t.as(people.nina).put('/meetings/bin-2018-10').send({ date: '2018-10-16', papersDueOn: '2018-10-02' }).expect(200)).body;
    expect(moved.casesMoved).toBe(0);
    const december = (await t.as(people.nina).put('/meetings/bin-2018-12').send({ date: '2018-12-11', papersDueOn: '2018-11-27' }).expect(200)).body;
    expect(december.casesMoved).toBe(1);
    const view = (await t.as(people.nina).get(`/funding-decisions/${id}`).expect(200)).body;
    expect(view.deadlines.find((d: { kind: string }) => d.kind === 'written_evaluation')).toMatchObject({ dueDate: '2018-11-27', overdue: false });
    // The timer that marks it overdue fires the day after the (moved) meeting, at midnight in Stockholm.
    const [timer] = await t.dataSource.query(`SELECT due_date::text AS due, due_at FROM case_timer WHERE case_id = $1 AND fired_at IS NULL AND kind = 'written_evaluation'`, [id]);
    expect(timer.due).toBe('2018-11-27');
    expect(new Date(timer.due_at).toISOString()).toBe('2018-12-11T23:00:00.000Z');
    const [event] = await t.dataSource.query(`SELECT actor_name, payload FROM audit_event WHERE case_id = $1 AND event_type = 'MEETING_RESCHEDULED'`, [id]);
    expect(event.actor_name).toBe('Nämndsekreterare Nina');
    expect(event.payload.meeting).toMatchObject({ meetingId: 'bin-2018-12', date: '2018-12-11' });
    // Put back for the other tests.
    await t.as(people.nina).put('/meetings/bin-2018-12').send({ date: '2018-12-18', papersDueOn: '2018-12-04' }).expect(200);
  });

  it('follows the rules over HTTP: the secretariat decides, an official may not, an outsider sees nothing, bad input is a 400 in Swedish', async () => {
    t.clock.freeze('2018-06-03T08:00:00Z');
    const id = (await create().expect(201)).body.id as string;
    await t.as(people.anne).get(`/funding-decisions/${id}`).expect(200);
    await t.as(people.outsider).get(`/funding-decisions/${id}`).expect(404);
    await t.http().get(`/funding-decisions/${id}`).expect(401);
    expect((await t.as(people.outsider).get('/funding-decisions').expect(200)).body).toEqual([]);
    await send(people.outsider, id, { type: 'PLACE_ON_AGENDA', meetingId: 'bin-2018-06' }).expect(404);
    await send(people.anne, id, { type: 'PLACE_ON_AGENDA', meetingId: 'bin-2018-06' }).expect(403);
    await t.as(people.anne).post('/funding-decisions').send({ committee: 'Bildningsnämnden', title: 'X', preparedBy: 'Y', proposal: proposal() }).expect(403);
    const missing = (await send(people.nina, id, { type: 'PLACE_ON_AGENDA' }).expect(400)).body;
    expect(JSON.stringify(missing)).toContain('meetingId');
    const unknown = (await send(people.nina, id, { type: 'PLACE_ON_AGENDA', meetingId: 'bin-2019-01' }).expect(400)).body;
    expect(JSON.stringify(unknown)).toContain('finns inte i sammanträdesplanen');
    const fraction = (await create({ amountKr: 530000.5 }).expect(400)).body;
    expect(JSON.stringify(fraction)).toContain('hela kronor');
    const wrongOrder = (await create({ period: { startDate: '2018-12-31', endDate: '2018-06-01' } }).expect(400)).body;
    expect(JSON.stringify(wrongOrder)).toContain('före den börjar');
    // A decision before the meeting is held is refused by the machine, and recorded as refused.
    await send(people.nina, id, { type: 'PLACE_ON_AGENDA', meetingId: 'bin-2018-06' }).expect(200);
    const early = (await send(people.nina, id, { type: 'DECIDE', outcome: 'granted', paragraph: '§ 1' }).expect(409)).body;
    expect(early.error).toBe('event_not_allowed');
    const [refused] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE case_id = $1 AND outcome = 'refused'`, [id]);
    expect(refused.n).toBe(1);
    // Referred back (återremiss) after the meeting: back to preparation, with the reason kept.
    t.clock.freeze('2018-06-19T15:00:00Z');
    await send(people.nina, id, { type: 'REFER_BACK', reason: 'Nämnden vill ha en tydligare målgruppsbeskrivning.' }).expect(200);
    const back = (await t.as(people.nina).get(`/funding-decisions/${id}`).expect(200)).body;
    expect(back.state).toBe('preparation');
    expect(back.record.referrals).toEqual([expect.objectContaining({ meetingId: 'bin-2018-06', reason: 'Nämnden vill ha en tydligare målgruppsbeskrivning.' })]);
  });
});
