import { Client } from 'pg';
import { createBromodellenParties, bromodellenBody, sendEvent, type BromodellenParties } from '@test/support/factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

describe('the audit history nobody can rewrite', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let agreementId: string;

  beforeAll(async () => {
    t = await startTestApp();
    p = await createBromodellenParties(t);
    agreementId = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id;
    await sendEvent(t, p, agreementId, { type: 'ACCEPT_INITIATIVE' }).expect(200);
    await sendEvent(t, p, agreementId, { type: 'SEND_FOR_SIGNING' }).expect(200);
  });
  afterAll(() => t.close());

  const withClient = async <T>(work: (c: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: t.db.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  it.each([
    ['UPDATE', `UPDATE audit_event SET reason = 'ändrad' WHERE seq = 2`],
    ['DELETE', `DELETE FROM audit_event WHERE seq = 2`],
    ['TRUNCATE', `TRUNCATE audit_event`],
  ])('the database refuses %s on audit_event', async (_op, sql) => {
    await expect(withClient((c) => c.query(sql))).rejects.toThrow(/audit_event är oföränderlig/);
    const count = await withClient((c) => c.query(`SELECT count(*)::int AS n FROM audit_event`));
    expect(count.rows[0].n).toBe(3);
  });

  it('a role other than the owner has no UPDATE, DELETE or TRUNCATE privilege at all', async () => {
    const privileges = await withClient((c) =>
      c.query(`SELECT has_table_privilege('public', 'audit_event', 'UPDATE') AS u, has_table_privilege('public', 'audit_event', 'DELETE') AS d, has_table_privilege('public', 'audit_event', 'TRUNCATE') AS tr`),
    );
    expect(privileges.rows[0]).toEqual({ u: false, d: false, tr: false });
  });

  it('the verifier points at the first row altered behind its back', async () => {
    expect((await t.as(p.secretariat.id).get('/audit/verify').expect(200)).body).toMatchObject({ intact: true, eventsChecked: 3 });
    // A superuser can switch the triggers off; the hash chain still tells.
    await withClient(async (c) => {
      await c.query(`SET session_replication_role = replica`);
      await c.query(`UPDATE audit_event SET actor_name = 'Någon annan' WHERE case_id = $1 AND seq = 2`, [agreementId]);
    });
    const report = (await t.as(p.secretariat.id).get('/audit/verify').expect(200)).body;
    expect(report.intact).toBe(false);
    expect(report.breaks).toEqual([expect.objectContaining({ agreementId, seq: 2, problem: 'hash_mismatch' })]);
  });

  it('exports the history as CSV with Swedish headings', async () => {
    const res = await t.as(p.secretariat.id).get(`/agreements/${agreementId}/history.csv`).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('löpnummer,tidpunkt,person,roll');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain('ACCEPT_INITIATIVE');
  });
});
