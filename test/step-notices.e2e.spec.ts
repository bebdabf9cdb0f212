import { OutboxSenderService } from '@app/notifications/outbox-sender.service';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { amendmentBody } from '@test/support/follow-up-factories';
import { bromodellenBody, createBromodellenParties, sendEvent, type BromodellenParties } from '@test/support/factories';
import { SmtpSink, type Received } from '@test/support/smtp-sink';
import { startTestApp, type TestApp } from '@test/support/test-app';

const SECRETARIAT = 'kansli@example.se';
const BASE = 'https://iop.example.se';
const SIGNATORIES = ['bilda@example.se', 'eh@example.se', 'mikaela@example.se'];
/** Bromodellen's samverkansgrupp is Nina (secretariat), Bilda's and Erikshjälpen's signatories. */
const EVERYONE = [...SIGNATORIES, 'nina@example.se', SECRETARIAT].sort();

/**
 * The notices at each step of an agreement, delivered over a real SMTP server: each kind reaches
 * exactly its people, in Swedish, with a link to the web page to act on; a person who turned a kind
 * off gets none of it while the reminders still come.
 */
describe('notices at every step, over SMTP', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let p: BromodellenParties;
  let sender: OutboxSenderService;
  let id: string;

  beforeAll(async () => {
    await sink.listen();
    t = await startTestApp({ now: '2023-09-15T08:00:00Z', env: { SECRETARIAT_EMAIL: SECRETARIAT, SMTP_URL: `smtp://127.0.0.1:${sink.port}`, PUBLIC_BASE_URL: BASE } });
    p = await createBromodellenParties(t);
    sender = t.started.app.get(OutboxSenderService);
  });
  afterAll(async () => {
    await t?.close();
    await sink.close();
  });

  /** Delivers what is due and returns what arrived, as recipient → subject. */
  async function arrived(): Promise<Received[]> {
    const before = sink.received.length;
    await sender.deliverDue();
    return sink.received.slice(before);
  }
  const recipients = (mails: Received[]): string[] => mails.flatMap((m) => m.rcptTo).sort();
  const text = (m: Received): string => m.mail.text ?? '';
  const event = (body: Record<string, unknown> & { type: string }) => sendEvent(t, p, id, body).expect(200);

  it('tells the secretariat of a new initiative and gives the proposer a receipt', async () => {
    id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    // The outbox sends in parallel lanes: in the order of the recipients, not of arrival.
    const mails = (await arrived()).sort((x, y) => x.rcptTo.join().localeCompare(y.rcptTo.join()));
    expect(mails.map((m) => [m.rcptTo.join(), m.mail.subject])).toEqual([
      ['bilda@example.se', 'Kvitto: initiativet Bromodellen har kommit in'],
      [SECRETARIAT, 'Nytt initiativ: IOP Bromodellen'],
    ]);
    expect(text(mails[1])).toContain('Studieförbundet Bilda Sydöst har skickat in ett initiativ till ett idéburet offentligt partnerskap: Bromodellen (dnr AN 2023-0042). Det kom in 2023-09-15 från Bilda Firmatecknare.');
    expect(text(mails[1])).toContain(`${BASE}/overenskommelser/${id}\n`);
    expect(text(mails[0])).toMatch(/^Hej Bilda Firmatecknare,/);
  });

  it('sends the agreement for signing to each party\'s own signatories, with a link to their signing page', async () => {
    await event({ type: 'ACCEPT_INITIATIVE' });
    expect(await arrived()).toEqual([]);
    await event({ type: 'SEND_FOR_SIGNING' });
    const mails = await arrived();
    expect(recipients(mails)).toEqual(SIGNATORIES);
    const bilda = mails.find((m) => m.rcptTo.includes('bilda@example.se')) as Received;
    expect(bilda.mail.subject).toBe('Att signera: IOP Bromodellen');
    expect(text(bilda)).toContain('Du är firmatecknare för Studieförbundet Bilda Sydöst och ombeds signera för Studieförbundet Bilda Sydöst.');
    expect(text(bilda)).toContain('Ekonomi: 2 368 800 kr per år (Linköpings kommun 1 658 160 kr, Studieförbundet Bilda Sydöst 592 200 kr, Erikshjälpen Linköping 118 440 kr).');
    expect(text(bilda)).toContain(`Signera Bromodellen: ${BASE}/overenskommelser/${id}/handelser/SIGN`);
    expect(bilda.mail.html).toContain(`<a href="${BASE}/overenskommelser/${id}/handelser/SIGN">Signera Bromodellen</a>`);
  });

  it('tells the secretariat and the signatories when a party returns it to draft, with the reason', async () => {
    await event({ type: 'RETURN_TO_DRAFT', organisationId: p.erikshjalpen.id, reason: 'Antalet platser ska stå i överenskommelsen.' });
    const mails = await arrived();
    expect(recipients(mails)).toEqual([...SIGNATORIES, SECRETARIAT].sort());
    expect(mails[0].mail.subject).toBe('Återförd till utkast: IOP Bromodellen');
    expect(text(mails[0])).toContain('Erikshjälpen Linköping har återfört Bromodellen (dnr AN 2023-0042) till utkast 2023-09-15, med skälet: ”Antalet platser ska stå i överenskommelsen.”');
  });

  it('tells every party, the samverkansgrupp and the secretariat when the last party has signed, with the summary and the dates', async () => {
    t.clock.freeze('2023-11-20T08:00:00Z');
    await event({ type: 'SEND_FOR_SIGNING' });
    await arrived();
    await event({ type: 'SIGN', organisationId: p.kommun.id });
    await event({ type: 'SIGN', organisationId: p.bilda.id });
    expect(await arrived()).toEqual([]);
    await event({ type: 'SIGN', organisationId: p.erikshjalpen.id });
    const mails = await arrived();
    expect(recipients(mails)).toEqual(EVERYONE);
    const mail = mails[0];
    expect(mail.mail.subject).toBe('Signerad av alla parter: IOP Bromodellen');
    expect(text(mail)).toContain('Signaturer: Linköpings kommun 2023-11-20, Studieförbundet Bilda Sydöst 2023-11-20, Erikshjälpen Linköping 2023-11-20.');
    expect(text(mail)).toContain('Överenskommelsen gäller från och med 2024-01-01 till och med 2025-12-31.');
    expect(text(mail)).toContain('Beslut om förlängning ska fattas av samtliga parter senast 2025-09-30. Med alla återstående förlängningar kan överenskommelsen gälla till och med 2029-12-31.');
  });

  it('tells of an amendment proposed, declined and agreed', async () => {
    t.clock.freeze('2024-06-03T08:00:00Z');
    const propose = () => t.as(p.secretariat.id).post(`/agreements/${id}/amendments`).send(amendmentBody(p, 2025));
    await propose().expect(201);
    let mails = await arrived();
    expect(recipients(mails)).toEqual([...SIGNATORIES, SECRETARIAT].sort());
    const bilda = mails.find((m) => m.rcptTo.includes('bilda@example.se')) as Received;
    expect(bilda.mail.subject).toBe('Tillägg föreslaget: IOP Bromodellen från 2025');
    expect(text(bilda)).toContain(`${BASE}/overenskommelser/${id}/handelser/AGREE_TO_AMENDMENT`);

    await event({ type: 'REFUSE_AMENDMENT', organisationId: p.erikshjalpen.id, reason: 'Ryms inte i vår budget.' });
    mails = await arrived();
    expect(mails[0].mail.subject).toBe('Tillägg avböjt: IOP Bromodellen');
    expect(text(mails[0])).toContain('Erikshjälpen Linköping har avböjt tillägget till Bromodellen (dnr AN 2023-0042) (ny ekonomi från 2025)');

    await propose().expect(201);
    await arrived();
    for (const o of [p.kommun, p.bilda]) await event({ type: 'AGREE_TO_AMENDMENT', organisationId: o.id });
    expect(await arrived()).toEqual([]);
    await event({ type: 'AGREE_TO_AMENDMENT', organisationId: p.erikshjalpen.id });
    mails = await arrived();
    expect(recipients(mails)).toEqual(EVERYONE);
    expect(mails[0].mail.subject).toBe('Tillägg godkänt: IOP Bromodellen');
    expect(text(mails[0])).toContain('Från 2025 gäller villkorsversion 2');
  });

  it('stops a notice for a person who turned it off, while their reminders still come', async () => {
    await t.as(p.bildaSignatory.id).put('/me/notice-preferences').send({ off: ['extension_decision_opened'] }).expect(200);
    expect((await t.as(p.bildaSignatory.id).get('/me/notice-preferences').expect(200)).body).toMatchObject({ off: ['extension_decision_opened'] });
    t.clock.freeze('2025-03-31T08:00:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
    const mails = await arrived();
    const notices = mails.filter((m) => m.mail.subject?.startsWith('Beslut om förlängning:'));
    expect(recipients(notices)).toEqual(['eh@example.se', SECRETARIAT, 'mikaela@example.se']);
    const to = (email: string) => notices.find((m) => m.rcptTo.includes(email)) as Received;
    expect(text(to('eh@example.se'))).toContain(`Lämna ert beslut om Bromodellen: ${BASE}/overenskommelser/${id}/handelser/CONSENT_TO_EXTENSION\n`);
    // The secretariat is no party: its link is the agreement's page.
    expect(text(to(SECRETARIAT))).toContain(`Öppna Bromodellen: ${BASE}/overenskommelser/${id}\n`);
    // The six-months reminder to the samverkansgrupp reaches Bilda all the same.
    const reminders = mails.filter((m) => m.mail.subject?.startsWith('Påminnelse: beslut om förlängning'));
    expect(recipients(reminders)).toContain('bilda@example.se');
  });

  it('tells everyone of a termination', async () => {
    await event({ type: 'DECLARE_TERMINATION', declaredBy: 'secretariat', ground: 'material_breach', reason: 'Utlovade platser har inte erbjudits.' });
    const mails = await arrived();
    expect(recipients(mails)).toEqual(EVERYONE);
    expect(mails[0].mail.subject).toBe('Hävd: IOP Bromodellen');
    expect(text(mails[0])).toContain('Nämndkansliet har hävt Bromodellen (dnr AN 2023-0042) med omedelbar verkan');
  });

  it('tells the secretariat of an initiative it registered on an organisation\'s behalf, and gives the secretariat person no receipt', async () => {
    t.clock.freeze('2025-04-02T08:00:00Z');
    await t.as(p.secretariat.id).post('/agreements').send(bromodellenBody(p, { title: 'Språkvänner', receivedVia: 'paper', receivedOn: '2025-03-28' })).expect(201);
    const mails = await arrived();
    expect(mails.map((m) => [m.rcptTo.join(), m.mail.subject])).toEqual([[SECRETARIAT, 'Nytt initiativ: IOP Språkvänner']]);
    expect(text(mails[0])).toContain('Registrerat av nämndkansliet för Studieförbundet Bilda Sydöst: initiativet kom in på papper (mottaget 2025-03-28). Inlagt i IOP-motorn av Nämndsekreterare Nina.');
  });

  it('wrote each notice once: no key twice, every one sent', async () => {
    const rows = await t.dataSource.query<Array<{ kind: string; n: number; sent: number }>>(
      `SELECT kind, count(*)::int AS n, count(*) FILTER (WHERE state = 'sent')::int AS sent FROM outbox_message WHERE idempotency_key LIKE 'notice:%' GROUP BY kind ORDER BY kind`,
    );
    for (const r of rows) expect(r.sent).toBe(r.n);
    expect(rows.map((r) => r.kind)).toEqual([
      'amendment_agreed',
      'amendment_declined',
      'amendment_proposed',
      'extension_decision_opened',
      'fully_signed',
      'initiative_receipt',
      'initiative_received',
      'returned_to_draft',
      'sent_for_signing',
      'terminated',
    ]);
  });
});

