import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { createBromodellenParties, bromodellenBody, type BromodellenParties, sendEvent } from '@test/support/factories';
import { lineProblems, parseCalendar } from '@test/support/ical';
import { startTestApp, type TestApp } from '@test/support/test-app';

const SECRETARIAT = 'kansli@example.se';
const SAMVERKANSGRUPP = ['bilda@example.se', 'eh@example.se', 'nina@example.se'];
const GROUP_AND_SECRETARIAT = [...SAMVERKANSGRUPP, SECRETARIAT].sort();

interface OutboxRow {
  idempotency_key: string;
  kind: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  ics: string | null;
}

describe('reminders: planned with every transition, decided by the sweep, written to the outbox', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let sweeper: TimerSweeperService;

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-10-01T08:00:00Z', env: { SECRETARIAT_EMAIL: SECRETARIAT, PUBLIC_BASE_URL: 'https://iop.example.se' } });
    p = await createBromodellenParties(t);
    sweeper = t.started.app.get(TimerSweeperService);
  });
  afterAll(() => t.close());

  /** A Stockholm morning on the date (08:00 UTC is 09:00 or 10:00 there). */
  const on = (date: string): void => t.clock.freeze(`${date}T08:00:00Z`);
  const sweepOn = async (date: string): Promise<void> => {
    on(date);
    await sweeper.sweep();
  };
  const event = (id: string, body: Record<string, unknown> & { type: string }) => sendEvent(t, p, id, body).expect(200);

  async function signedBromodellen(overrides: Record<string, unknown> = {}): Promise<string> {
    on('2023-10-01');
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, overrides)).expect(201)).body.id as string;
    await event(id, { type: 'ACCEPT_INITIATIVE' });
    await event(id, { type: 'SEND_FOR_SIGNING' });
    for (const o of [p.kommun, p.bilda, p.erikshjalpen]) await event(id, { type: 'SIGN', organisationId: o.id });
    return id;
  }

  // The reminders alone: the notices at each step (notice:…) have their own spec.
  const messages = (id: string): Promise<OutboxRow[]> =>
    t.dataSource.query(
      `SELECT idempotency_key, kind, recipient, subject, text_body, html_body, ics FROM outbox_message WHERE case_id = $1 AND idempotency_key NOT LIKE 'notice:%' ORDER BY id`,
      [id],
    );
  /** key (without agreement and recipient) → sorted recipients */
  async function sent(id: string): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const m of await messages(id)) {
      // reminder:<agreement>:<kind>:<offset>:<cycle>:<email>: the reminder key itself holds a colon.
      const parts = m.idempotency_key.split(':');
      const name = `${parts[2]}:${parts[3]}:${parts[4]}`;
      (out[name] ??= []).push(parts.slice(5).join(':'));
    }
    for (const list of Object.values(out)) list.sort();
    return out;
  }
  const outcomes = (id: string) =>
    t.dataSource.query<Array<{ reminder_key: string; cycle: number; outcome: string | null }>>(
      `SELECT reminder_key, cycle, outcome FROM case_reminder WHERE case_id = $1 ORDER BY send_at, id`,
      [id],
    );

  it("Bromodellen's whole life: each reminder once on its date, consent stops the rest, overdue escalates, then a new agreement is needed", async () => {
    const id = await signedBromodellen();
    await sweepOn('2024-01-01');
    expect((await outcomes(id)).map((r) => [r.reminder_key, r.outcome])).toEqual([
      ['decision_upcoming:6m', null],
      ['decision_upcoming:4m', null],
      ['decision_upcoming:1m', null],
      ['decision_upcoming:1w', null],
      ['decision_upcoming:0d', null],
    ]);

    // Nothing before its date; on its date to every samverkansgrupp member and the secretariat; a second sweep adds nothing.
    const expected: Record<string, string[]> = {};
    await sweepOn('2025-03-30');
    expect(await sent(id)).toEqual({});
    for (const [date, key] of [
      ['2025-03-31', '6m'],
      ['2025-05-31', '4m'],
      ['2025-08-31', '1m'],
      ['2025-09-23', '1w'],
      ['2025-09-30', '0d'],
    ]) {
      await sweepOn(date);
      await sweeper.sweep();
      expected[`decision_upcoming:${key}:1`] = GROUP_AND_SECRETARIAT;
      expect(await sent(id)).toEqual(expected);
    }
    const [sixMonths] = await messages(id);
    expect(sixMonths.subject).toBe('Påminnelse: beslut om förlängning av IOP Bromodellen senast 2025-09-30');
    expect(sixMonths.text_body).toContain(
      'Beslut om förlängning ska fattas senast 2025-09-30 av samtliga parter: Linköpings kommun, Studieförbundet Bilda Sydöst, Erikshjälpen Linköping.',
    );
    expect(sixMonths.text_body).toContain('Bromodellen (dnr AN 2023-0042)');
    expect(sixMonths.text_body).toContain('Förlängningar: 0 av 2 använda, 2 återstår (24 månader per förlängning).');
    expect(sixMonths.text_body).toContain(`https://iop.example.se/overenskommelser/${id}`);
    expect(sixMonths.html_body).toContain(`<a href="https://iop.example.se/overenskommelser/${id}">`);

    // The decision was not taken by 2025-09-30: the secretariat alone is told, the day after and two weeks after.
    await sweepOn('2025-10-01');
    expect((await t.as(p.secretariat.id).get(`/agreements/${id}`)).body.state).toBe('extensionDecision.overdue');
    expected['decision_overdue:1d:1'] = [SECRETARIAT];
    expect(await sent(id)).toEqual(expected);
    await sweepOn('2025-10-14');
    expected['decision_overdue:2w:1'] = [SECRETARIAT];
    expect(await sent(id)).toEqual(expected);

    // Late consent by all parties renews it; the next cycle is planned from the new period.
    on('2025-10-20');
    for (const o of [p.kommun, p.bilda, p.erikshjalpen]) await event(id, { type: 'CONSENT_TO_EXTENSION', organisationId: o.id });
    await sweepOn('2026-01-01');
    expect((await t.as(p.secretariat.id).get(`/agreements/${id}`)).body).toMatchObject({ state: 'active', endDate: '2027-12-31' });

    await sweepOn('2027-03-31');
    await sweepOn('2027-05-31');
    expected['decision_upcoming:6m:2'] = GROUP_AND_SECRETARIAT;
    expected['decision_upcoming:4m:2'] = GROUP_AND_SECRETARIAT;
    expect(await sent(id)).toEqual(expected);
    // One party consents: the reminders go on (a self-transition on the day does not resend).
    on('2027-06-10');
    await event(id, { type: 'CONSENT_TO_EXTENSION', organisationId: p.bilda.id });
    await sweeper.sweep();
    expect(await sent(id)).toEqual(expected);
    await sweepOn('2027-08-31');
    expected['decision_upcoming:1m:2'] = GROUP_AND_SECRETARIAT;
    const afterOneConsent = await messages(id);
    expect(afterOneConsent[afterOneConsent.length - 1].text_body).toContain(
      'Samtycke har lämnats av Studieförbundet Bilda Sydöst; beslut återstår för Linköpings kommun och Erikshjälpen Linköping.',
    );
    // Consent by all stops the rest: no 1w, no 0d.
    on('2027-09-01');
    for (const o of [p.kommun, p.erikshjalpen]) await event(id, { type: 'CONSENT_TO_EXTENSION', organisationId: o.id });
    for (const date of ['2027-09-23', '2027-09-30', '2027-10-01']) await sweepOn(date);
    expect(await sent(id)).toEqual(expected);
    const undecided = await t.dataSource.query(`SELECT count(*)::int AS n FROM case_reminder WHERE case_id = $1 AND decided_at IS NULL AND kind = 'decision_upcoming'`, [id]);
    expect(undecided[0].n).toBe(0);

    // After the second renewal no extension remains: a new agreement is needed, 12 and 6 months before the end.
    await sweepOn('2028-01-01');
    expect((await t.as(p.secretariat.id).get(`/agreements/${id}`)).body).toMatchObject({ state: 'active', endDate: '2029-12-31' });
    await sweepOn('2028-12-30');
    expect(await sent(id)).toEqual(expected);
    await sweepOn('2028-12-31');
    expected['new_agreement_needed:12m:2'] = GROUP_AND_SECRETARIAT;
    expect(await sent(id)).toEqual(expected);
    const notice = (await messages(id)).find((m) => m.idempotency_key.includes(':new_agreement_needed:12m:2:'));
    expect(notice?.subject).toBe('Ny överenskommelse behövs: IOP Bromodellen upphör 2029-12-31');
    expect(notice?.text_body).toContain('Alla förlängningar är använda (2 av 2).');
    await sweepOn('2029-06-30');
    expected['new_agreement_needed:6m:2'] = GROUP_AND_SECRETARIAT;
    await sweepOn('2030-01-01');
    expect((await t.as(p.secretariat.id).get(`/agreements/${id}`)).body.state).toBe('expired');
    await sweepOn('2030-06-01');
    expect(await sent(id)).toEqual(expected);
    expect((await outcomes(id)).every((r) => r.outcome === 'queued')).toBe(true);
  });

  it('a jump over several reminders queues only the latest; the others are superseded', async () => {
    const id = await signedBromodellen();
    await sweepOn('2025-04-01');
    // The window opened on 2025-03-31: the 6-month reminder was due that day and goes out now.
    expect(Object.keys(await sent(id))).toEqual(['decision_upcoming:6m:1']);
    await sweepOn('2025-09-24');
    expect(Object.keys(await sent(id))).toEqual(['decision_upcoming:6m:1', 'decision_upcoming:1w:1']);
    expect((await outcomes(id)).map((r) => [r.reminder_key, r.outcome])).toEqual([
      ['decision_upcoming:6m', 'queued'],
      ['decision_upcoming:4m', 'superseded'],
      ['decision_upcoming:1m', 'superseded'],
      ['decision_upcoming:1w', 'queued'],
      ['decision_upcoming:0d', null],
    ]);
  });

  it('a reminder that finds the agreement in another state is skipped', async () => {
    const id = await signedBromodellen();
    await sweepOn('2024-06-01');
    await event(id, { type: 'DECLARE_TERMINATION', declaredBy: 'secretariat', ground: 'material_breach', reason: 'Verksamheten har upphört.' });
    expect(await outcomes(id)).toEqual([]);
    // A stale row, as if planned before a crash, is re-checked against the state.
    await t.dataSource.query(
      `INSERT INTO case_reminder (case_id, case_type, kind, reminder_key, cycle, audience, send_at, deadline_date, scheduled_in_state)
       VALUES ($1, 'agreement', 'decision_upcoming', 'decision_upcoming:1m', 1, 'samverkansgrupp_and_secretariat', '2025-08-30T22:00:00Z', '2025-09-30', 'extensionDecision.pending')`,
      [id],
    );
    await sweepOn('2025-09-01');
    expect((await outcomes(id)).map((r) => [r.reminder_key, r.outcome])).toEqual([['decision_upcoming:1m', 'skipped']]);
    expect(await sent(id)).toEqual({});
  });

  it('signatures missing a week after sending: the unsigned signatories, and the secretariat in copy', async () => {
    on('2023-10-01');
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    await event(id, { type: 'ACCEPT_INITIATIVE' });
    await event(id, { type: 'SEND_FOR_SIGNING' });
    await event(id, { type: 'SIGN', organisationId: p.kommun.id });
    await sweepOn('2023-10-08');
    expect(await sent(id)).toEqual({ 'signature_missing:1w:1': ['bilda@example.se', 'eh@example.se', SECRETARIAT] });
    const rows = await messages(id);
    const copy = rows.find((m) => m.recipient === SECRETARIAT);
    expect(copy?.text_body).toContain('Kopia till nämndkansliet');
    expect(rows.find((m) => m.recipient === 'bilda@example.se')?.text_body).toContain(
      'Firmatecknare för Studieförbundet Bilda Sydöst och Erikshjälpen Linköping har ännu inte signerat.',
    );
    expect(copy?.ics).toBeNull();
    // The signatories' link is their signing page; the secretariat's copy opens the agreement.
    expect(rows.find((m) => m.recipient === 'bilda@example.se')?.text_body).toContain(`Signera: https://iop.example.se/overenskommelser/${id}/handelser/SIGN\n`);
    expect(copy?.text_body).toContain(`Öppna överenskommelsen: https://iop.example.se/overenskommelser/${id}\n`);
  });

  it('the iCalendar attachment reads back with an independent parser: all-day on the deadline, stable UID, Swedish summary', async () => {
    const id = await signedBromodellen({ title: 'Bromodellen; "kvarteret" <Åby>, etapp 2 – med ett långt namn som måste vikas över flera rader' });
    await sweepOn('2025-03-31');
    await sweepOn('2025-05-31');
    const rows = (await messages(id)).filter((m) => m.recipient === SECRETARIAT);
    expect(rows).toHaveLength(2);
    const parsed = rows.map((m) => parseCalendar(m.ics as string));
    for (const m of rows) expect(lineProblems(m.ics as string)).toEqual([]);
    const [first, second] = parsed.map((c) => c.events);
    expect(first).toHaveLength(1);
    expect(first[0]).toEqual({
      uid: `iop-${id}-decision_due-1@iop.example.se`,
      summary: 'IOP Bromodellen; "kvarteret" <Åby>, etapp 2 – med ett långt namn som måste vikas över flera rader: sista dag för beslut om förlängning',
      start: '2025-09-30',
      allDay: true,
      url: `https://iop.example.se/overenskommelser/${id}`,
    });
    expect(second[0].uid).toBe(first[0].uid);
    expect(rows[0].ics).toContain('DTSTART;VALUE=DATE:20250930\r\n');
    // HTML is escaped.
    expect(rows[0].html_body).toContain('Bromodellen; &quot;kvarteret&quot; &lt;Åby&gt;');
    expect(rows[0].html_body).not.toContain('<Åby>');
  });
});
