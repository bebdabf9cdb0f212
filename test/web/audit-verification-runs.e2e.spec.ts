/**
 * Issue 14: Granskning shows a stored verification run instead of verifying every chain on every
 * view. Over HTTP with real session cookies (no browser; web.e2e checks the page with axe): the
 * view reads only the run table, "Kontrollera nu" starts one run in the background (POST, redirect,
 * GET) whose progress shows while it runs, a second press while it runs starts nothing, a run whose
 * process died shows as avbruten and does not block the next, the nightly run starts when due, and
 * only auditors and administrators open the page or start a run.
 */
import { Client, type QueryConfig } from 'pg';
import { AuditVerificationRunRepository, RUN_LOCK } from '@app/audit/audit-verification-run.repository';
import { AuditVerificationRunService } from '@app/audit/audit-verification-run.service';
import { createBromodellenParties, createPerson, bromodellenBody, sendEvent, type BromodellenParties } from '@test/support/factories';
import { TEST_ADMINISTRATOR } from '@test/support/test-app';
import { formFields, HttpSession } from './support/http-session';
import { withPasswords } from './support/session';
import { startWebTestApp, type WebTestApp } from './support/web-app';

jest.setTimeout(60_000);

const CHECK = '/granskning/kontrollera';

describe('Granskning: stored verification runs', () => {
  let t: WebTestApp;
  let p: BromodellenParties;
  let auditor: HttpSession;
  let admin: HttpSession;
  let runs: AuditVerificationRunService;
  let repository: AuditVerificationRunRepository;

  const runRows = () =>
    t.dataSource.query<Array<{ id: string; status: string; started_by: string; rows_checked: string; chains_checked: number; failure: string | null; intact: boolean | null }>>(
      `SELECT id::text, status, started_by, rows_checked::text, chains_checked, failure, intact FROM audit_verification_run ORDER BY id`,
    );

  const withClient = async <T>(url: string, work: (c: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  /** Presses Kontrollera nu as a browser would: the page's form, its fields (with a fresh one-time token) posted. */
  const press = async (session: HttpSession) => session.post(CHECK, await session.form('/granskning', CHECK));

  /**
   * Holds every run at its first batch's progress (written, then waiting) until `release` is called:
   * a run with thousands of rows, made slow without them.
   */
  const holdAtFirstBatch = () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = repository.progress.bind(repository);
    const spy = jest.spyOn(repository, 'progress').mockImplementation(async (...args) => {
      await original(...args);
      await gate;
    });
    return {
      release: () => {
        release();
        spy.mockRestore();
      },
    };
  };

  const until = async (what: string, done: () => Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 200; i += 1) {
      if (await done()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`Väntade förgäves på: ${what}`);
  };

  beforeAll(async () => {
    // Ten rows a batch, so the twelve rows below take two batches; the nightly run at 03:00.
    t = await startWebTestApp('2023-10-01T08:00:00Z', { AUDIT_READ_BATCH_ROWS: '10', AUDIT_VERIFY_HOUR: '3' });
    p = await createBromodellenParties(t);
    const rut = await createPerson(t, { name: 'Revisor Rut', email: 'rut@example.se', organisationId: p.kommun.id }, ['auditor']);
    await withPasswords(t, [
      [rut, ['auditor']],
      [p.secretariat, ['secretariat']],
      [p.bildaSignatory, ['signatory']],
      [{ id: t.administratorId }, ['administrator']],
    ]);
    for (let i = 0; i < 4; i += 1) {
      const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
      await sendEvent(t, p, id, { type: 'ACCEPT_INITIATIVE' }).expect(200);
      await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);
    }
    auditor = await HttpSession.signIn(t, 'rut@example.se');
    admin = await HttpSession.signIn(t, TEST_ADMINISTRATOR.email);
    runs = t.started.app.get(AuditVerificationRunService);
    repository = t.started.app.get(AuditVerificationRunRepository);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('before any run, says so and offers the button, reading no history and writing no run', async () => {
    const spy = jest.spyOn(Client.prototype, 'query');
    let sql: string[];
    let page: string;
    try {
      page = (await auditor.get('/granskning').expect(200)).text;
      sql = spy.mock.calls.map(([query]: unknown[]) => (typeof query === 'string' ? query : ((query as QueryConfig).text ?? '')));
    } finally {
      spy.mockRestore();
    }
    expect(page).toContain('Ingen kontroll av historiken har gjorts ännu.');
    expect(formFields(page, CHECK).map(([name]) => name)).toEqual(['formToken']);
    expect(page).toContain('Kontrollera nu</button>');
    expect(page).not.toContain('data-running');
    // The only read of audit_event is the listed agreements' counts, by id; the run table is only read.
    expect(sql.filter((s) => /\baudit_event\b/.test(s))).toEqual([expect.stringContaining('WHERE case_id = ANY($1::uuid[])')]);
    expect(sql.filter((s) => /\baudit_verification_run\b/.test(s) && /\b(INSERT|UPDATE|DELETE)\b/.test(s))).toEqual([]);
    expect(sql.filter((s) => /\baudit_verification_run\b/.test(s)).length).toBeLessThanOrEqual(3);
    expect(await runRows()).toEqual([]);
  });

  it('is only for auditors and administrators, and nobody else can start a run', async () => {
    const secretariat = await HttpSession.signIn(t, 'nina@example.se');
    const signatory = await HttpSession.signIn(t, 'bilda@example.se');
    for (const session of [secretariat, signatory]) {
      const page = await session.get('/granskning').expect(403);
      expect(page.text).toContain('Den här sidan är bara för revisorer och administratörer.');
      await session.post(CHECK, [['formToken', '6a1f0c1e-6b7b-4c41-9a50-000000000001']]).expect(403);
    }
    await t.http().get('/granskning').expect(303).expect('Location', '/logga-in?tillbaka=%2Fgranskning');
    await t.http().post(CHECK).set('Origin', t.baseUrl).type('form').send('').expect(303).expect('Location', '/logga-in');
    expect(await runRows()).toEqual([]);
    await admin.get('/granskning').expect(200);
  });

  it('Kontrollera nu runs in the background: its progress shows while it runs, a second press starts nothing, then the verdict shows', async () => {
    const hold = holdAtFirstBatch();
    const pressed = await press(auditor);
    expect(pressed.status).toBe(303);
    expect(pressed.headers.location).toBe('/granskning?kontroll=startad');
    await until('första omgången', async () => (await runRows())[0]?.rows_checked === '10');

    const running = (await auditor.get(pressed.headers.location).expect(200)).text;
    expect(running).toContain('Kontrollen är startad.');
    expect(running).toMatch(/En kontroll pågår<\/strong> \(startad av Revisor Rut, startade 2023-10-01 10:00\): 10 händelser i \d kedjor kontrollerade hittills/);
    expect(running).toContain('data-running');
    expect(running).toContain('Ingen kontroll av historiken har gjorts ännu.');

    // Pressed again while it runs, by the same person and by another: nothing new starts.
    const again = await Promise.all([press(auditor), press(admin)]);
    expect(again.map((r) => [r.status, r.headers.location])).toEqual([
      [303, '/granskning?kontroll=pagar'],
      [303, '/granskning?kontroll=pagar'],
    ]);
    expect((await auditor.get('/granskning?kontroll=pagar').expect(200)).text).toContain('En kontroll pågår redan, så ingen ny startades.');
    expect(await runRows()).toEqual([expect.objectContaining({ status: 'pågår', started_by: 'Revisor Rut' })]);

    hold.release();
    await runs.settled();
    expect(await runRows()).toEqual([{ id: expect.any(String), status: 'klar', started_by: 'Revisor Rut', rows_checked: '12', chains_checked: 4, failure: null, intact: true }]);
    const done = (await auditor.get('/granskning').expect(200)).text;
    expect(done).toContain('Alla kedjor är hela.');
    expect(done).toContain('Senaste kontrollen (startad av Revisor Rut) startade 2023-10-01 10:00 och var klar 2023-10-01 10:00: 4 överenskommelser, 12 händelser.');
    expect(done).not.toContain('data-running');
    expect(done.match(/<span class="tag tag-ok">Hel<\/span>/g)).toHaveLength(4);
  });

  it('two presses at the same moment start one run', async () => {
    const hold = holdAtFirstBatch();
    const before = (await runRows()).length;
    const [a, b] = await Promise.all([press(auditor), press(admin)]);
    expect([a.headers.location, b.headers.location].sort()).toEqual(['/granskning?kontroll=pagar', '/granskning?kontroll=startad']);
    expect((await runRows()).length).toBe(before + 1);
    // The table itself holds at most one running row.
    await expect(
      withClient(t.db.appUrl, (c) => c.query(`INSERT INTO audit_verification_run (status, started_at, started_by, instance, progress_at) VALUES ('pågår', now(), 'någon', 'test', now())`)),
    ).rejects.toThrow(/audit_verification_run_one_running/);
    hold.release();
    await runs.settled();
    expect((await runRows()).map((r) => r.status)).toEqual(['klar', 'klar']);
  });

  it('a run whose process died shows as avbruten and does not block the next one', async () => {
    // Another instance: it takes the run lock in its snapshot transaction and writes its row, as the service does.
    const instance = new Client({ connectionString: t.db.appUrl });
    await instance.connect();
    await instance.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
    expect((await instance.query(`SELECT pg_try_advisory_xact_lock($1, $2) AS locked`, [...RUN_LOCK])).rows[0].locked).toBe(true);
    const [{ id: deadId }] = (
      await withClient(t.db.appUrl, (c) =>
        c.query(`INSERT INTO audit_verification_run (status, started_at, started_by, instance, progress_at, rows_checked) VALUES ('pågår', $1, 'Annan Revisor', 'värd-2:4711', $1, 5000) RETURNING id::text`, [
          t.clock.now(),
        ]),
      )
    ).rows as Array<{ id: string }>;
    const [{ pid }] = (await instance.query(`SELECT pg_backend_pid() AS pid`)).rows as Array<{ pid: number }>;
    instance.on('error', () => undefined);

    expect((await auditor.get('/granskning').expect(200)).text).toContain('En kontroll pågår</strong> (startad av Annan Revisor');
    expect((await press(auditor)).headers.location).toBe('/granskning?kontroll=pagar');

    // The other instance's process dies: its connection goes, and the lock with it.
    await withClient(t.db.url, (c) => c.query(`SELECT pg_terminate_backend($1)`, [pid]));
    await until('låset släppt', async () => !(await repository.lockHeld()));
    await instance.end().catch(() => undefined);

    const shown = (await auditor.get('/granskning').expect(200)).text;
    expect(shown).toContain('Den senaste kontrollen avbröts</strong> (startad av Annan Revisor, startade 2023-10-01 10:00) efter 5\u00a0000 händelser: processen som körde kontrollen avslutades innan den var klar.');
    expect(shown).not.toContain('data-running');
    // The view wrote nothing; the next run marks the dead one.
    expect((await runRows()).find((r) => r.id === deadId)?.status).toBe('pågår');

    expect((await press(auditor)).headers.location).toBe('/granskning?kontroll=startad');
    await runs.settled();
    const rows = await runRows();
    expect(rows.find((r) => r.id === deadId)).toMatchObject({ status: 'avbruten', failure: 'processen som körde kontrollen avslutades innan den var klar' });
    expect(rows[rows.length - 1]).toMatchObject({ status: 'klar', intact: true, rows_checked: '12' });
    const page = (await auditor.get('/granskning').expect(200)).text;
    expect(page).toContain('Alla kedjor är hela.');
    expect(page).not.toContain('avbröts');
  });

  it('runs every night after 03:00 in Stockholm, unless a run has finished since', async () => {
    // The runs above started at 10:00 on 1 October, after that night's 03:00.
    expect(await runs.startIfDue()).toBeNull();
    t.clock.freeze('2023-10-02T00:59:00Z'); // 02:59 in Stockholm
    expect(await runs.startIfDue()).toBeNull();
    t.clock.freeze('2023-10-02T01:00:00Z');
    expect(await runs.startIfDue()).toEqual({ started: true, runId: expect.any(String) });
    await runs.settled();
    expect((await runRows()).at(-1)).toMatchObject({ status: 'klar', started_by: 'schemalagd' });
    // A new day, so a new session.
    auditor = await HttpSession.signIn(t, 'rut@example.se');
    expect((await auditor.get('/granskning').expect(200)).text).toContain('Senaste kontrollen (schemalagd) startade 2023-10-02 03:00');
    expect(await runs.startIfDue()).toBeNull();
  });

  it('the service role may read, add and update runs, never remove them', async () => {
    await expect(withClient(t.db.appUrl, (c) => c.query(`DELETE FROM audit_verification_run`))).rejects.toThrow(/permission denied/);
    await expect(withClient(t.db.appUrl, (c) => c.query(`TRUNCATE audit_verification_run`))).rejects.toThrow(/permission denied/);
  });
});
