import { startTestApp, type TestApp } from '@test/support/test-app';

interface Row {
  id: string;
  title: string;
  state: string;
  endDate: string;
  deadlines: Array<{ kind: string; dueDate: string }>;
  extension: { used: number } | null;
}

describe('the demo data a new user sees on first start', () => {
  let t: TestApp;
  let all: Row[];
  const byTitle = (title: string) => all.find((a) => a.title === title) as Row;

  beforeAll(async () => {
    t = await startTestApp({ now: null, env: { DEMO_DATA: 'on', CLOCK_START: '2026-11-23T09:00:00+01:00' } });
    all = (await t.admin().get('/agreements').expect(200)).body;
  });
  afterAll(() => t.close());

  it('has an account for every demo person with the shared demo password', async () => {
    const login = async (email: string) => (await t.http().post('/auth/login').send({ email, password: 'demo-iop-2026' }).expect(200)).body as { roles: string[] };
    expect((await login('karin.ek@example.se')).roles).toEqual(['secretariat']);
    expect((await login('maria.lund@example.se')).roles).toEqual(['signatory', 'member']);
    expect((await login('per.nystrom@example.se')).roles).toEqual(['auditor']);
    expect((await login('lena.holm@example.se')).roles).toEqual(['administrator']);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM account WHERE person_id <> $1`, [t.administratorId])).toEqual([{ n: 16 }]);
  });

  it('shows Bromodellen renewed once and in its first extension period, the next decision due 2027-09-30', () => {
    const bromo = all.find((a) => a.title.startsWith('Bromodellen') && a.endDate === '2027-12-31') as Row;
    expect(bromo).toBeDefined();
    expect(bromo.state).toBe('active');
    expect(bromo.extension?.used).toBe(1);
    expect(bromo.deadlines).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'decision_due', dueDate: '2027-09-30' })]));
  });

  it('shows Hoppfull framtid expired with both extensions used, and the history that led there', async () => {
    const hoppfull = byTitle('Hoppfull framtid');
    expect(hoppfull.state).toBe('expired');
    expect(hoppfull.endDate).toBe('2023-12-31');
    expect(hoppfull.extension?.used).toBe(2);
    const history = (await t.admin().get(`/agreements/${hoppfull.id}/history`).expect(200)).body as Array<{ eventType: string; actorName: string; occurredAt: string }>;
    expect(history.filter((h) => h.eventType === 'CONSENT_TO_EXTENSION')).toHaveLength(4);
    expect(history.at(-1)).toMatchObject({ eventType: 'END_DATE_PASSED', actorName: expect.stringContaining('Systemet') });
    expect(history.at(-1)?.occurredAt.slice(0, 10)).toBe('2023-12-31'); // midnight in Stockholm is 23:00Z
    expect(history.find((h) => h.eventType === 'SIGN')?.actorName).toBe('Sanna Detlefsen');
  });

  it('reproduces the committee overview figures of the 2021 follow-up', async () => {
    const overview = (await t.admin().get('/overview').expect(200)).body as Array<{ name: string; estimatedValuePerYearKr: number; committeeCostPerYearKr: number; validUntil: string }>;
    const row = (name: string) => overview.find((r) => r.name === name);
    expect(row('Hoppfull framtid')).toMatchObject({ estimatedValuePerYearKr: 2080500, committeeCostPerYearKr: 1100000, validUntil: '2023-12-31' });
    const figures = overview.map((r) => [r.estimatedValuePerYearKr, r.committeeCostPerYearKr]);
    expect(figures).toEqual(expect.arrayContaining([[1791200, 1150000], [1156000, 600000], [897626, 295000], [454000, 230000]]));
  });

  it('projects Bromodellen 2024 economics with 2 % a year: 2 368 800 kr in 2024, 2 416 176 kr in 2025', async () => {
    const bromo = all.find((a) => a.title.startsWith('Bromodellen') && a.endDate === '2027-12-31') as Row;
    const { years } = (await t.admin().get(`/agreements/${bromo.id}/economics`).expect(200)).body;
    expect(years[0]).toMatchObject({ year: 2024, totalKr: 2368800 });
    expect(years[0].perParty.map((p: { amountKr: number; shareBasisPoints: number }) => [p.amountKr, p.shareBasisPoints])).toEqual([
      [1658160, 7000],
      [592200, 2500],
      [118440, 500],
    ]);
    expect(years[1]).toMatchObject({ year: 2025, totalKr: 2416176 });
    expect(years.at(-1).year).toBe(2029);
  });

  it('does not send reminders for dates long past when the history is loaded', async () => {
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message`);
    expect(n).toBe(0);
    const planned = await t.dataSource.query(`SELECT min(send_at) AS first FROM case_reminder WHERE decided_at IS NULL`);
    expect(new Date(planned[0].first).getTime()).toBeGreaterThan(new Date('2026-11-23T00:00:00Z').getTime());
  });

  it('keeps every audit chain intact', async () => {
    const report = (await t.admin().get('/audit/verify').expect(200)).body;
    // Six agreements and two funding decisions: one chain per case, of every kind.
    expect(report).toMatchObject({ intact: true, agreementsChecked: 8 });
  });

  it('has seed 004 lived to its December 2018 evaluation, and a current funding decision in progress', async () => {
    const list = (await t.admin().get('/funding-decisions').expect(200)).body as Array<{ title: string; state: string; amountKr: number; deadlines: Array<{ kind: string; dueDate: string }>; record: { referrals: unknown[] } }>;
    const seed = list.find((d) => d.title.startsWith('Arbetsmarknadsinriktade insatser'));
    expect(seed).toMatchObject({ state: 'closed', amountKr: 530000 });
    const current = list.find((d) => d.state === 'in_progress');
    expect(current?.record.referrals).toHaveLength(1);
    expect(current?.deadlines.map((d) => `${d.kind} ${d.dueDate}`)).toEqual(['oral_check_in 2027-02-09', 'written_evaluation 2027-06-01']);
    const [mail] = await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message WHERE case_type = 'funding_decision'`);
    expect(mail.n).toBe(0);
  });
});
