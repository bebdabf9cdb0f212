import { OutboxSenderService } from '@app/notifications/outbox-sender.service';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { addDays } from '@workflows/calendar/calendar';
import { bromodellenBody, createBromodellenParties, createPerson, sendEvent, type BromodellenParties } from '@test/support/factories';
import { FOLLOW_UP_DUTIES, meetingBody, reportBody } from '@test/support/follow-up-factories';
import { SmtpSink } from '@test/support/smtp-sink';
import { startTestApp, type TestApp } from '@test/support/test-app';

const SECRETARIAT = 'kansli@example.se';
const GROUP_AND_SECRETARIAT = ['bilda@example.se', 'eh@example.se', 'nina@example.se', SECRETARIAT].sort();

interface Arrival {
  date: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

interface View {
  state: string;
  deadlines: Array<{ kind: string; cycle: number; dueDate: string; event: string | null; overdue: boolean }>;
  followUp: { duties: unknown; obligations: Array<{ duty: string; year: number; dueDate: string; status: string }> };
}

/** A signed Bromodellen with Hoppfull framtid's follow-up clause: a meeting each year, a written report by 31 March. */
async function signedWithDuties(t: TestApp, p: BromodellenParties): Promise<string> {
  const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { followUp: FOLLOW_UP_DUTIES })).expect(201)).body.id as string;
  for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))]) {
    await sendEvent(t, p, id, body).expect(200);
  }
  return id;
}

/**
 * Bromodellen's first year of follow-up lived day by day with a real SMTP server: the reminders
 * for the meeting and the report arrive on their dates, recording a duty ends its reminders and its
 * deadline, and the report nobody handed in becomes overdue, shows as such and escalates.
 */
describe('A year of follow-up for Bromodellen', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let p: BromodellenParties;
  let id: string;
  let bildaMember: string;
  const arrivals: Arrival[] = [];
  const view = async (): Promise<View> => (await t.as(p.secretariat.id).get(`/agreements/${id}`).expect(200)).body as View;
  const followUpMail = (a: Arrival): boolean => /uppföljningsmöte|årsrapport/.test(a.subject) && !a.subject.startsWith('IOP veckobrev');

  beforeAll(async () => {
    await sink.listen();
    t = await startTestApp({ now: '2023-10-01T08:00:00Z', env: { SECRETARIAT_EMAIL: SECRETARIAT, SMTP_URL: `smtp://127.0.0.1:${sink.port}` } });
    p = await createBromodellenParties(t);
    bildaMember = (await createPerson(t, { name: 'Bo Medlem', email: 'bo@example.se', organisationId: p.bilda.id }, ['member'])).id;
    id = await signedWithDuties(t, p);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  /** Lives the days from `from` to `to`: each morning the sweep runs and the outbox is delivered; `on` acts first on its days. */
  async function live(from: string, to: string, on: Record<string, () => Promise<void>> = {}): Promise<void> {
    const sweeper = t.started.app.get(TimerSweeperService);
    const sender = t.started.app.get(OutboxSenderService);
    for (let day = from; day <= to; day = addDays(day, 1)) {
      t.clock.freeze(`${day}T08:00:00Z`);
      await sweeper.sweep();
      if (on[day]) await on[day]();
      await sweeper.sweep();
      const before = sink.received.length;
      await sender.deliverDue();
      for (const r of sink.received.slice(before)) {
        for (const to of r.rcptTo) arrivals.push({ date: day, to, subject: r.mail.subject ?? '', text: r.mail.text ?? '', messageId: r.mail.messageId ?? '' });
      }
    }
  }
  const followUpArrivals = (from: string, to: string) => arrivals.filter((a) => followUpMail(a) && a.date >= from && a.date <= to);
  const byDate = (list: Arrival[]) => {
    const out: Record<string, string[]> = {};
    for (const a of list) (out[`${a.date} ${a.subject}`] ??= []).push(a.to);
    for (const list2 of Object.values(out)) list2.sort();
    return out;
  };

  it('the agreement states its duties, and each becomes a deadline', async () => {
    t.clock.freeze('2024-11-01T08:00:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
    const v = await view();
    expect(v.state).toBe('active');
    expect(v.followUp.duties).toEqual(FOLLOW_UP_DUTIES);
    expect(v.deadlines.filter((d) => d.kind === 'follow_up_meeting' || d.kind === 'yearly_report').map((d) => [d.kind, d.cycle, d.dueDate, d.overdue])).toEqual([
      ['follow_up_meeting', 2024, '2024-12-31', false],
      ['yearly_report', 2024, '2025-03-31', false],
      ['follow_up_meeting', 2025, '2025-12-31', false],
    ]);
  });

  it('reminds the samverkansgrupp and the secretariat of the meeting a month before; recording the meeting ends its reminders and its deadline', async () => {
    await live('2024-11-02', '2025-01-05', {
      '2024-12-10': async () => {
        const res = await t.as(p.secretariat.id).post(`/agreements/${id}/follow-up/meetings`).send(meetingBody('2024-12-09', { participants: [{ personId: p.bildaSignatory.id }, { name: 'Anna Berg, kommunen' }] })).expect(201);
        expect(res.body.meetings).toEqual([
          expect.objectContaining({ heldOn: '2024-12-09', year: 2024, participants: [{ personId: p.bildaSignatory.id, name: 'Bilda Firmatecknare' }, { personId: null, name: 'Anna Berg, kommunen' }] }),
        ]);
      },
    });
    expect(byDate(followUpArrivals('2024-11-02', '2025-01-05'))).toEqual({
      '2024-11-30 Påminnelse: uppföljningsmöte 2024 för IOP Bromodellen senast 2024-12-31': GROUP_AND_SECRETARIAT,
    });
    const [reminder] = followUpArrivals('2024-11-30', '2024-11-30');
    expect(reminder.text).toContain('Samverkansgruppen för Bromodellen (dnr AN 2023-0042) ska hålla årets uppföljningsmöte senast 2024-12-31. Det är 31 dagar kvar.');
    expect(reminder.text).toContain('För 2024 har 0 av 1 möten registrerats.');

    const v = await view();
    expect(v.deadlines.some((d) => d.kind === 'follow_up_meeting' && d.cycle === 2024)).toBe(false);
    expect(v.followUp.obligations.find((o) => o.duty === 'meeting' && o.year === 2024)?.status).toBe('fulfilled');
    const history = (await t.as(p.secretariat.id).get(`/agreements/${id}/history`).expect(200)).body as Array<{ eventType: string; actorName: string; outcome: string }>;
    expect(history.filter((h) => h.eventType === 'RECORD_FOLLOW_UP_MEETING').map((h) => [h.actorName, h.outcome])).toEqual([['Nämndsekreterare Nina', 'applied']]);
    expect(history.some((h) => h.eventType === 'FOLLOW_UP_OVERDUE')).toBe(false);
  });

  it('reminds of the yearly report a month and a week before 31 March', async () => {
    await live('2025-01-06', '2025-03-31');
    expect(byDate(followUpArrivals('2025-01-06', '2025-03-31'))).toEqual({
      '2025-02-28 Påminnelse: årsrapport 2024 för IOP Bromodellen senast 2025-03-31': GROUP_AND_SECRETARIAT,
      '2025-03-24 Påminnelse: årsrapport 2024 för IOP Bromodellen senast 2025-03-31': GROUP_AND_SECRETARIAT,
    });
    const [reminder] = followUpArrivals('2025-02-28', '2025-02-28');
    expect(reminder.text).toContain('Studieförbundet Bilda Sydöst och Erikshjälpen Linköping ska lämna en skriftlig rapport om arbetet under 2024 till nämnden.');
    expect(reminder.text).toContain('Inga personuppgifter om deltagare.');
  });

  it('an unrecorded report becomes overdue: it shows on Bevakning and in the agreement, and escalates to the secretariat', async () => {
    await live('2025-04-01', '2025-04-07');
    expect(byDate(followUpArrivals('2025-04-01', '2025-04-07'))).toEqual({
      '2025-04-01 Försenat: årsrapport 2024 för IOP Bromodellen saknas': [SECRETARIAT],
    });

    const v = await view();
    expect(v.deadlines[0]).toMatchObject({ kind: 'yearly_report', cycle: 2024, dueDate: '2025-03-31', event: null, overdue: true });
    expect(v.followUp.obligations.find((o) => o.duty === 'yearly_report' && o.year === 2024)?.status).toBe('overdue');
    const listed = (await t.as(p.secretariat.id).get('/agreements?deadlineBefore=2025-04-07').expect(200)).body as Array<{ id: string; nextDeadline: { kind: string; date: string } }>;
    expect(listed.map((a) => [a.id, a.nextDeadline.kind, a.nextDeadline.date])).toEqual([[id, 'yearly_report', '2025-03-31']]);

    // The secretariat's Monday digest (Bevakning by e-mail) lists it as overdue.
    const digest = arrivals.find((a) => a.date === '2025-04-07' && a.subject.startsWith('IOP veckobrev'));
    expect(digest?.subject).toMatch(/: 1 försenat,/);
    expect(digest?.text).toMatch(/FÖRSENAT \(1\)\n.*2025-03-31.*sista dag för den skriftliga årsrapporten till nämnden/);
  });

  it('the report handed in late by Bilda clears the duty: no further escalation, no deadline', async () => {
    await live('2025-04-08', '2025-04-20', {
      '2025-04-10': async () => {
        const res = await t.as(bildaMember).post(`/agreements/${id}/follow-up/reports`).send(reportBody(2024, p.bilda.id)).expect(201);
        expect(res.body.reports).toEqual([
          expect.objectContaining({
            year: 2024,
            organisationId: p.bilda.id,
            organisationName: 'Studieförbundet Bilda Sydöst',
            participantsCount: 64,
            gaProgressCount: 23,
            outcomes: { work: 9, studies: 6, otherActivity: 14, noChange: 11 },
            placesUsed: 38,
            placesAgreed: 40,
            submittedBy: { personId: bildaMember, name: 'Bo Medlem' },
          }),
        ]);
      },
    });
    expect(followUpArrivals('2025-04-08', '2025-04-20')).toEqual([]);
    const v = await view();
    expect(v.deadlines.some((d) => d.overdue)).toBe(false);
    expect(v.followUp.obligations.filter((o) => o.year === 2024).map((o) => [o.duty, o.status])).toEqual([
      ['meeting', 'fulfilled'],
      ['yearly_report', 'fulfilled'],
    ]);
    expect((await t.as(p.secretariat.id).get('/agreements?deadlineBefore=2025-04-20').expect(200)).body).toEqual([]);
    const reminders = await t.dataSource.query<Array<{ reminder_key: string; cycle: number; outcome: string | null }>>(
      `SELECT reminder_key, cycle, outcome FROM case_reminder WHERE case_id = $1 AND reminder_key LIKE 'report_overdue%' ORDER BY send_at`,
      [id],
    );
    expect(reminders).toEqual([{ reminder_key: 'report_overdue:1d', cycle: 2024, outcome: 'queued' }]);
  });

  it('nobody received a follow-up message twice, and each reminder is its own message', () => {
    const keys = arrivals.filter(followUpMail).map((a) => `${a.messageId}|${a.to}`);
    expect(keys).toHaveLength(4 + 4 + 4 + 1);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('recording a follow-up: who may, and only aggregate figures', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let id: string;
  let bildaMember: string;
  let ehMember: string;

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-10-01T08:00:00Z' });
    p = await createBromodellenParties(t);
    bildaMember = (await createPerson(t, { name: 'Bo Medlem', email: 'bo@example.se', organisationId: p.bilda.id }, ['member'])).id;
    ehMember = (await createPerson(t, { name: 'Eva Medlem', email: 'eva@example.se', organisationId: p.erikshjalpen.id }, ['member'])).id;
    id = await signedWithDuties(t, p);
    t.clock.freeze('2025-02-10T08:00:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
  });
  afterAll(() => t.close());

  const reports = (personId: string, body: Record<string, unknown>) => t.as(personId).post(`/agreements/${id}/follow-up/reports`).send(body);

  it('refuses a report carrying a personal identity number with a clear message naming the field', async () => {
    const res = await reports(bildaMember, reportBody(2024, p.bilda.id, { text: 'En deltagare (19121212-1212) fick arbete på lagret.' })).expect(400);
    expect(res.body.error).toBe('validation_failed');
    expect(res.body.problems).toEqual([
      {
        field: 'text',
        message:
          'Uppföljningen får bara innehålla sammanräknade uppgifter, inga personuppgifter om deltagare. Fältet innehåller något som ser ut som ett personnummer eller samordningsnummer: ta bort det.',
      },
    ]);
    const meeting = await t.as(p.secretariat.id).post(`/agreements/${id}/follow-up/meetings`).send(meetingBody('2024-11-12', { notes: 'Vi pratade om 640823-3234.' })).expect(400);
    expect(meeting.body.problems.map((x: { field: string }) => x.field)).toEqual(['notes']);
    // A field meant for a person's identity is no field of the form at all.
    const extra = await reports(bildaMember, reportBody(2024, p.bilda.id, { personnummer: '8501011236' })).expect(400);
    expect(JSON.stringify(extra.body)).toContain('personnummer');
    const view = (await t.as(bildaMember).get(`/agreements/${id}/follow-up`).expect(200)).body as { reports: unknown[]; notice: string };
    expect(view.reports).toEqual([]);
    expect(view.notice).toContain('Skriv inga namn, personnummer eller andra uppgifter om enskilda deltagare.');
  });

  it('accepts ordinary figures, but not figures that contradict each other', async () => {
    const progress = await reports(bildaMember, reportBody(2024, p.bilda.id, { participantsCount: 10, gaProgressCount: 11, outcomes: { work: 3, studies: 3, otherActivity: 3, noChange: 3 } })).expect(400);
    expect(progress.body.problems).toEqual([
      { field: 'gaProgressCount', message: 'Fler stegförflyttningar (11) än deltagare (10) går inte.' },
      { field: 'outcomes', message: 'Vart deltagarna gick efteråt summerar till 12, fler än de 10 deltagarna.' },
    ]);
  });

  it('is for the partner to report and the secretariat to record meetings; others are refused', async () => {
    const offered = async (personId: string) =>
      ((await t.as(personId).get(`/agreements/${id}/allowed-events`).expect(200)).body as { events: Array<{ type: string; endpoint?: string; organisationId?: string }> }).events.filter(
        (e) => e.endpoint?.startsWith('/follow-up'),
      );
    expect(await offered(p.secretariat.id)).toEqual([expect.objectContaining({ type: 'RECORD_FOLLOW_UP_MEETING', endpoint: '/follow-up/meetings' })]);
    expect(await offered(bildaMember)).toEqual([expect.objectContaining({ type: 'SUBMIT_YEARLY_REPORT', endpoint: '/follow-up/reports', organisationId: p.bilda.id })]);
    expect(await offered(p.kommunSignatory.id)).toEqual([]);
    expect((await reports(p.secretariat.id, reportBody(2024, p.bilda.id))).status).toBe(403);
    expect((await reports(ehMember, reportBody(2024, p.bilda.id))).status).toBe(403);
    expect((await t.as(bildaMember).post(`/agreements/${id}/follow-up/meetings`).send(meetingBody('2024-11-12'))).status).toBe(403);
    // A meeting is recorded once it has been held.
    const future = await t.as(p.secretariat.id).post(`/agreements/${id}/follow-up/meetings`).send(meetingBody('2025-03-01')).expect(400);
    expect(future.body.problems).toEqual([{ field: 'heldOn', message: 'Ett möte registreras när det har hållits, inte i förväg.' }]);
  });

  it('takes one report a year; Erikshjälpen can hand it in for itself, and a second one is refused', async () => {
    await reports(ehMember, reportBody(2024, p.erikshjalpen.id, { text: 'Arbetsträning i butik och café. 2024 deltog 64 personer.' })).expect(201);
    const again = await reports(bildaMember, reportBody(2024, p.bilda.id)).expect(409);
    expect(again.body.error).toBe('event_not_allowed');
    const all = (await t.as(p.secretariat.id).get(`/agreements/${id}/follow-up`).expect(200)).body as {
      obligations: Array<{ duty: string; year: number; status: string }>;
      reports: Array<{ organisationName: string; text: string }>;
    };
    expect(all.reports.map((r) => r.organisationName)).toEqual(['Erikshjälpen Linköping']);
    expect(all.obligations.filter((o) => o.year === 2024).map((o) => [o.duty, o.status])).toEqual([
      ['meeting', 'overdue'],
      ['yearly_report', 'fulfilled'],
    ]);
  });

  it('is read by the parties and the office, and by nobody outside', async () => {
    const redCross = ((await t.admin().post('/organisations').send({ name: 'Röda Korset Linköping', organisationNumber: '802002-8711', kind: 'civil_society' }).expect(201)).body as { id: string }).id;
    const outsider = (await createPerson(t, { name: 'Rut Utanför', email: 'rut@example.se', organisationId: redCross }, ['member'])).id;
    await t.as(outsider).get(`/agreements/${id}/follow-up`).expect(404);
    await t.as(outsider).post(`/agreements/${id}/follow-up/reports`).send(reportBody(2024, redCross)).expect(404);
    await t.as(ehMember).get(`/agreements/${id}/follow-up`).expect(200);
  });
});
