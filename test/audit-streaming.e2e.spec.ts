import { randomUUID } from 'node:crypto';
import { Client, type QueryConfig } from 'pg';
import { GENESIS_HASH, hashOf } from '@app/audit/audit-chain';
import { historyCsv } from '@app/audit/audit.controller';
import { AuditService, chainedFieldsOf } from '@app/audit/audit.service';
import { AuditVerifierService } from '@app/audit/audit-verifier.service';
import type { AuditEvent } from '@app/audit/audit-event.entity';
import { createBromodellenParties, bromodellenBody, type BromodellenParties } from '@test/support/factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

/** Issue 14: the verifier and the history exports read audit_event in keyset batches (here 10 rows), never the whole table at once. */
describe('the audit history read in batches', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let verifier: AuditVerifierService;
  let audit: AuditService;
  const cases: Array<{ type: string; id: string; rows: number }> = [];

  const withSuperuser = async <T>(work: (c: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: t.db.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  /** Rows hashed as the service hashes them (version 1 as before the case kernel, version 2 since), with the head written. */
  const insertChain = (c: Client, type: string, id: string, versions: number[], from = 1): Promise<void> =>
    (async () => {
      const [last] = (await c.query(`SELECT hash FROM audit_event WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`, [id])).rows as Array<{ hash: string }>;
      let prevHash = last?.hash ?? GENESIS_HASH;
      for (const [i, chainVersion] of versions.entries()) {
        const seq = from + i;
        const row = {
          caseType: type,
          caseId: id,
          chainVersion,
          seq,
          occurredAt: new Date(Date.UTC(2024, 0, 1, 8, 0, seq, 123)),
          actorPersonId: null,
          actorName: `Handläggare ${seq}`,
          actorRole: 'secretariat',
          actorOrganisationId: null,
          actorOrganisationName: seq % 3 === 0 ? 'Kommunen, nämnden' : null,
          eventType: 'NOTE',
          // Keys out of order at every level: the hash must not depend on jsonb's order.
          payload: { z: seq, a: { y: [1, 'två', { b: true, a: null }], x: 'text;med "citat"' } },
          fromState: 'draft',
          toState: 'draft',
          reason: seq % 4 === 0 ? 'Skäl, med komma' : null,
          outcome: 'applied' as const,
          prevHash,
        };
        const hash = hashOf(chainedFieldsOf(row));
        await c.query(
          `INSERT INTO audit_event (case_type, case_id, chain_version, seq, occurred_at, actor_person_id, actor_name, actor_role, actor_organisation_id,
                                    actor_organisation_name, event_type, payload, from_state, to_state, reason, outcome, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15, $16, $17, $18)`,
          [type, id, chainVersion, seq, row.occurredAt, null, row.actorName, row.actorRole, null, row.actorOrganisationName, row.eventType,
           JSON.stringify(row.payload), row.fromState, row.toState, row.reason, row.outcome, prevHash, hash],
        );
        prevHash = hash;
      }
      const count = from + versions.length - 1;
      await c.query(
        `UPDATE case_record SET audit_event_count = $3, audit_last_hash = $4, audit_updated_at = now() WHERE case_type = $1 AND id = $2`,
        [type, id, count, prevHash],
      );
    })();

  /** The keyset queries on audit_event sent while `work` runs (the driver's own calls, only watched: they still go to the server). */
  const keysetQueries = async <T>(work: () => Promise<T>): Promise<{ result: T; queries: string[] }> => {
    const spy = jest.spyOn(Client.prototype, 'query');
    try {
      const result = await work();
      const queries = spy.mock.calls
        .map(([query]: unknown[]) => (typeof query === 'string' ? query : ((query as QueryConfig).text ?? '')))
        .filter((sql) => /FROM audit_event\b/.test(sql) && /LIMIT/.test(sql));
      return { result, queries };
    } finally {
      spy.mockRestore();
    }
  };

  const verifyAll = () => verifier.verify(t.clock.now(), { batchRows: 100_000 });
  const verifyInTens = () => verifier.verify(t.clock.now(), { batchRows: 10 });

  beforeAll(async () => {
    t = await startTestApp({ env: { AUDIT_READ_BATCH_ROWS: '10' } });
    p = await createBromodellenParties(t);
    verifier = t.started.app.get(AuditVerifierService);
    audit = t.started.app.get(AuditService);
    // 100 rows in seven chains of 1 to 30 rows (so chains begin and end inside batches and across them), of two kinds;
    // one chain hashed in version 1 and then, after the upgrade, in version 2.
    const plan: Array<[string, number[]]> = [
      ['agreement', [1]],
      ['agreement', Array(9).fill(1)],
      ['agreement', [...Array(5).fill(1), ...Array(6).fill(2)]],
      ['funding_decision', Array(10).fill(2)],
      ['agreement', Array(23).fill(2)],
      ['funding_decision', Array(30).fill(2)],
      ['agreement', Array(16).fill(1)],
    ];
    await withSuperuser(async (c) => {
      for (const [type, versions] of plan) {
        const id = randomUUID();
        await c.query(`INSERT INTO case_record (id, case_type, title, reference, state) VALUES ($1, $2, $3, NULL, 'draft')`, [id, type, `Ärende ${cases.length + 1}`]);
        await insertChain(c, type, id, versions);
        cases.push({ type, id, rows: versions.length });
      }
    });
  });
  afterAll(() => t.close());

  it('reads 100 rows ten at a time and reports exactly what one read of the whole table does', async () => {
    const { result: inTens, queries } = await keysetQueries(verifyInTens);
    // 100 rows in batches of 10: ten full batches and the empty one that ends the read; keyset, never OFFSET.
    expect(queries.filter((sql) => /FROM audit_event/.test(sql))).toHaveLength(11);
    expect(queries.some((sql) => /OFFSET/i.test(sql))).toBe(false);
    const whole = await verifyAll();
    expect(inTens).toEqual(whole);
    expect(whole).toMatchObject({ intact: true, agreementsChecked: 7, eventsChecked: 100, breaks: [], findings: [] });
    expect(whole.agreements.map((a) => [a.agreementId, a.caseType, a.events])).toEqual(
      [...cases].sort((a, b) => (a.id < b.id ? -1 : 1)).map((c) => [c.id, c.type, c.rows]),
    );
    // The API reads with AUDIT_READ_BATCH_ROWS (10 here) and answers the same.
    const api = (await t.admin().get('/audit/verify').expect(200)).body;
    expect(api).toEqual(JSON.parse(JSON.stringify(whole)));
    expect(await audit.verify(t.clock.now(), 10)).toEqual(await audit.verify(t.clock.now(), 100_000));
  });

  it('against a checkpoint, with rows added after it, in batches as in one read', async () => {
    await t.admin().post('/audit/checkpoints').expect(201);
    const grown = cases[4];
    await withSuperuser((c) => insertChain(c, grown.type, grown.id, [2, 2, 2], grown.rows + 1));
    grown.rows += 3;
    const inTens = await verifyInTens();
    expect(inTens).toEqual(await verifyAll());
    expect(inTens).toMatchObject({ intact: true, eventsChecked: 103, eventsAfterCheckpoint: 3, checkpoint: { signatureValid: true } });
  });

  it('finds a row altered in the middle of a chain that spans batch boundaries, and every other kind of tampering, as one read does', async () => {
    const [, , mixed, , long, longest, last] = cases;
    await withSuperuser(async (c) => {
      await c.query(`SET session_replication_role = replica`);
      // (1) A row in the middle of the 26-row chain edited, its hash left: the chain breaks there.
      await c.query(`UPDATE audit_event SET actor_name = 'Någon annan' WHERE case_id = $1 AND seq = 12`, [long.id]);
      // (2) The version 1 part of the mixed chain: a link broken.
      await c.query(`UPDATE audit_event SET prev_hash = $2 WHERE case_id = $1 AND seq = 3`, [mixed.id, GENESIS_HASH]);
      // (3) The last rows of the 30-row chain deleted and its head fixed up: shorter than the checkpoint says.
      await c.query(`DELETE FROM audit_event WHERE case_id = $1 AND seq > 20`, [longest.id]);
      await c.query(`UPDATE case_record SET audit_event_count = 20, audit_last_hash = (SELECT hash FROM audit_event WHERE case_id = $1 AND seq = 20) WHERE id = $1`, [longest.id]);
      // (4) A whole chain deleted with its head: missing against the checkpoint.
      await c.query(`DELETE FROM audit_event WHERE case_id = $1`, [last.id]);
      await c.query(`UPDATE case_record SET audit_event_count = 0, audit_last_hash = NULL, audit_updated_at = NULL WHERE id = $1`, [last.id]);
    });
    const inTens = await verifyInTens();
    expect(inTens).toEqual(await verifyAll());
    expect(inTens.intact).toBe(false);
    expect(inTens.breaks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ agreementId: long.id, seq: 12, problem: 'hash_mismatch' }),
        expect.objectContaining({ agreementId: mixed.id, seq: 3, problem: 'broken_link' }),
      ]),
    );
    expect(inTens.breaks).toHaveLength(2);
    expect(inTens.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ agreementId: long.id, status: 'row_altered', against: 'chain', seq: 12 }),
        expect.objectContaining({ agreementId: mixed.id, status: 'row_altered', against: 'chain', seq: 3 }),
        { agreementId: longest.id, status: 'rows_missing_at_end', against: 'checkpoint', seq: 21, expectedEvents: 30, foundEvents: 20 },
        { agreementId: last.id, status: 'chain_missing', against: 'checkpoint', seq: null, expectedEvents: 16, foundEvents: 0 },
      ]),
    );
    expect(inTens.findings).toHaveLength(4);
    expect(inTens.agreements).toContainEqual({ agreementId: last.id, caseType: 'agreement', status: 'chain_missing', events: 0, inCheckpoint: true });
    // The Granskning page's read: the same findings and counts, without the list of every case.
    const forPage = await verifier.verify(t.clock.now(), { batchRows: 10, listCases: false });
    expect(forPage).toEqual({ ...inTens, agreements: [] });
  });

  it('streams a long history as CSV a batch at a time, byte for byte what the whole-history export made', async () => {
    const agreementId = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    await withSuperuser((c) => insertChain(c, 'agreement', agreementId, Array(249).fill(2), 2));
    const events: AuditEvent[] = await audit.history(agreementId);
    expect(events).toHaveLength(250);
    const expected = historyCsv(events);

    const { result: res, queries } = await keysetQueries(() => t.as(p.secretariat.id).get(`/agreements/${agreementId}/history.csv`).expect(200));
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.text).toBe(expected);
    // 250 rows, 10 a query: 25 full batches and the empty one after them.
    expect(queries.filter((sql) => /WHERE case_id = \$1/.test(sql))).toHaveLength(26);
    const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines).toHaveLength(252); // header, 250 rows, and the empty string after the last line end
    expect(lines.slice(1, 251).map((line) => Number(line.split(',')[0]))).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));

    const generic = await t.as(p.secretariat.id).get(`/cases/agreement/${agreementId}/history.csv`).expect(200);
    expect(generic.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(generic.text).toBe(res.text);
  });
});
