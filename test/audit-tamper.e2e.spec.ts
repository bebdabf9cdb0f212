import { createPublicKey, verify } from 'node:crypto';
import { Client } from 'pg';
import { canonicalJson, hashOf } from '@app/audit/audit-chain';
import { AuditEvent } from '@app/audit/audit-event.entity';
import { chainedFieldsOf } from '@app/audit/audit.service';
import { createApp } from '@app/bootstrap';
import { privilegedRoleProblems } from '@app/database/database-roles';
import { JsonLogger } from '@app/logging/json-logger';
import { AuditVerificationRunService } from '@app/audit/audit-verification-run.service';
import { createBromodellenParties, createPerson, bromodellenBody, sendEvent, type BromodellenParties } from '@test/support/factories';
import { HttpSession } from '@test/web/support/http-session';
import { withPasswords } from '@test/web/support/session';
import { startWebTestApp, type WebTestApp } from '@test/web/support/web-app';

/** What issue 12 measured: the service's own credentials could switch the trigger off, and a rewritten chain passed as intact. */
describe('a history nobody can rewrite, not even the database', () => {
  let t: WebTestApp;
  let p: BromodellenParties;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await startWebTestApp('2023-05-01T08:00:00Z');
    p = await createBromodellenParties(t);
    for (let i = 0; i < 4; i += 1) {
      const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
      await sendEvent(t, p, id, { type: 'ACCEPT_INITIATIVE' }).expect(200);
      await sendEvent(t, p, id, { type: 'SEND_FOR_SIGNING' }).expect(200);
      ids.push(id);
    }
  });
  afterAll(() => t.close());

  const withClient = async <T>(url: string, work: (c: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  /** Behind the service's back, as the server's superuser with the triggers off. */
  const asSuperuser = <T>(work: (c: Client) => Promise<T>) =>
    withClient(t.db.url, async (c) => {
      await c.query(`SET session_replication_role = replica`);
      return work(c);
    });
  const verifyReport = async () => (await t.as(p.secretariat.id).get('/audit/verify').expect(200)).body;

  describe("with the service role's own credentials", () => {
    it.each([
      ['SET session_replication_role', `SET session_replication_role = replica`],
      ['UPDATE', `UPDATE audit_event SET reason = 'ändrad' WHERE seq = 2`],
      ['DELETE', `DELETE FROM audit_event WHERE seq = 3`],
      ['TRUNCATE', `TRUNCATE audit_event`],
      ['UPDATE of a checkpoint', `UPDATE audit_checkpoint SET signature = ''`],
      ['ALTER', `ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete`],
    ])('%s is refused', async (_what, sql) => {
      await expect(withClient(t.db.appUrl, (c) => c.query(sql))).rejects.toThrow(/permission denied|must be owner/);
    });

    it('is neither superuser nor owner, and the start check finds nothing to refuse', async () => {
      const problems = await withClient(t.db.appUrl, (c) => privilegedRoleProblems(async (sql, params) => (await c.query(sql, params)).rows));
      expect(problems).toEqual([]);
      const [role] = await t.dataSource.query(`SELECT current_user AS name, rolsuper FROM pg_roles WHERE rolname = current_user`);
      expect(role).toEqual({ name: `${t.db.name}_app`, rolsuper: false });
    });
  });

  describe('signed checkpoints', () => {
    let receipt: { checkpoint: Record<string, unknown> & { id: string; chainCount: number; eventCount: number }; signature: string; heads: unknown[] };

    it('are signed on demand by an administrator or auditor, not by the secretariat', async () => {
      await t.as(p.secretariat.id).post('/audit/checkpoints').expect(403);
      receipt = (await t.admin().post('/audit/checkpoints').expect(201)).body;
      expect(receipt.checkpoint).toMatchObject({ format: 'iop-audit-checkpoint/1', chainCount: 4, eventCount: 12 });
      expect(receipt.heads).toHaveLength(4);
    });

    it('can be checked outside the service with the published key', async () => {
      const key = (await t.http().get('/audit/checkpoints/public-key').expect(200)).body;
      expect(key).toMatchObject({ algorithm: 'Ed25519', keyId: receipt.checkpoint.keyId });
      const download = await t.as(p.secretariat.id).get(`/audit/checkpoints/${receipt.checkpoint.id}/receipt`).expect(200);
      expect(download.headers['content-disposition']).toContain(`kontrollpunkt-${receipt.checkpoint.id}.json`);
      expect(download.body).toEqual({ ...receipt, publicKeyPem: key.publicKeyPem });
      const ok = verify(null, Buffer.from(canonicalJson(download.body.checkpoint)), createPublicKey(key.publicKeyPem), Buffer.from(download.body.signature, 'base64'));
      expect(ok).toBe(true);
    });

    it('go out of the system by mail, in Swedish with the receipt inline', async () => {
      const mails = await withClient(t.db.url, (c) => c.query(`SELECT recipient, subject, text_body FROM outbox_message WHERE kind = 'audit_checkpoint'`));
      expect(mails.rows).toEqual([expect.objectContaining({ recipient: 'namndkansli@example.se', subject: expect.stringMatching(/^Kontrollpunkt \d+ för historiken \(4 överenskommelser, 12 händelser\)$/) })]);
      expect(mails.rows[0].text_body).toContain(receipt.signature);
    });

    it('the verifier finds everything intact against it', async () => {
      const report = await verifyReport();
      expect(report).toMatchObject({ intact: true, findings: [], eventsAfterCheckpoint: 0, checkpoint: { id: receipt.checkpoint.id, signatureValid: true } });
      expect(report.agreements).toHaveLength(4);
    });
  });

  describe('as a superuser behind the service, after a checkpoint', () => {
    it('(a) a row edited and every hash after it recomputed: the row is altered against the checkpoint', async () => {
      const agreementId = ids[0];
      const rows = await t.dataSource.getRepository(AuditEvent).find({ where: { caseId: agreementId }, order: { seq: 'ASC' } });
      rows[1].actorName = 'Någon annan';
      for (let i = 1; i < rows.length; i += 1) {
        rows[i].prevHash = rows[i - 1].hash;
        rows[i].hash = hashOf(chainedFieldsOf(rows[i]));
      }
      await asSuperuser(async (c) => {
        for (const row of rows.slice(1)) await c.query(`UPDATE audit_event SET actor_name = $1, prev_hash = $2, hash = $3 WHERE id = $4`, [row.actorName, row.prevHash, row.hash, row.id]);
        await c.query(`UPDATE case_record SET audit_last_hash = $1 WHERE id = $2`, [rows[rows.length - 1].hash, agreementId]);
      });
      const report = await verifyReport();
      expect(report.intact).toBe(false);
      expect(report.breaks).toEqual([]);
      expect(report.findings).toEqual([expect.objectContaining({ agreementId, status: 'row_altered', against: 'checkpoint', seq: 3 })]);
    });

    it('(b) the last rows of a chain deleted and its head fixed up: rows missing at the end', async () => {
      const agreementId = ids[1];
      await asSuperuser(async (c) => {
        await c.query(`DELETE FROM audit_event WHERE case_id = $1 AND seq > 1`, [agreementId]);
        await c.query(`UPDATE case_record SET audit_event_count = 1, audit_last_hash = (SELECT hash FROM audit_event WHERE case_id = $1 AND seq = 1) WHERE id = $1`, [agreementId]);
      });
      const report = await verifyReport();
      expect(report.findings).toContainEqual({ agreementId, status: 'rows_missing_at_end', against: 'checkpoint', seq: 2, expectedEvents: 3, foundEvents: 1 });
    });

    it('(c) a whole chain deleted, head and agreement too: the chain is missing', async () => {
      const agreementId = ids[2];
      await asSuperuser(async (c) => {
        for (const table of ['audit_event', 'case_timer', 'case_reminder']) await c.query(`DELETE FROM ${table} WHERE case_id = $1`, [agreementId]);
        for (const table of ['agreement_member', 'agreement_cost_line', 'agreement_party']) await c.query(`DELETE FROM ${table} WHERE agreement_id = $1`, [agreementId]);
        await c.query(`DELETE FROM agreement WHERE id = $1`, [agreementId]);
        await c.query(`DELETE FROM case_record WHERE id = $1`, [agreementId]);
      });
      const report = await verifyReport();
      expect(report.findings).toContainEqual({ agreementId, status: 'chain_missing', against: 'checkpoint', seq: null, expectedEvents: 3, foundEvents: 0 });
      expect(report.agreements).toContainEqual({ agreementId, caseType: 'agreement', status: 'chain_missing', events: 0, inCheckpoint: true });
    });

    it('rows removed without fixing the head show even before the next checkpoint', async () => {
      const agreementId = ids[3];
      // A refused attempt is history too: the fourth row.
      await sendEvent(t, p, agreementId, { type: 'ACCEPT_INITIATIVE' }).expect(409);
      await asSuperuser((c) => c.query(`DELETE FROM audit_event WHERE case_id = $1 AND seq = (SELECT max(seq) FROM audit_event WHERE case_id = $1)`, [agreementId]));
      const report = await verifyReport();
      const finding = report.findings.find((f: { agreementId: string }) => f.agreementId === agreementId);
      // The checkpoint still holds (3 events); the head written with the 4th append does not.
      expect(finding).toEqual({ agreementId, status: 'rows_missing_at_end', against: 'chain_head', seq: 4, expectedEvents: 4, foundEvents: 3 });
    });

    it('(d) a checkpoint with a tampered signature or heads is reported as invalid', async () => {
      await asSuperuser((c) => c.query(`UPDATE audit_checkpoint SET signature = translate(signature, 'ABCDEFabcdef', 'BCDEFAbcdefa')`));
      let report = await verifyReport();
      expect(report.intact).toBe(false);
      expect(report.checkpoint).toMatchObject({ signatureValid: false, problem: 'signature_invalid' });
      await asSuperuser(async (c) => {
        await c.query(`UPDATE audit_checkpoint SET signature = translate(signature, 'BCDEFAbcdefa', 'ABCDEFabcdef')`);
        // Heads made to match the rewritten chain of (b): the signature over their digest no longer holds.
        await c.query(`UPDATE audit_checkpoint SET heads = (SELECT jsonb_agg(CASE WHEN h->>'agreementId' = $1 THEN jsonb_set(h, '{count}', '1') ELSE h END) FROM jsonb_array_elements(heads) h)`, [ids[1]]);
      });
      report = await verifyReport();
      expect(report.checkpoint).toMatchObject({ signatureValid: false, problem: 'heads_altered' });
    });

    it('the Granskning page says what was found, in Swedish, once Kontrollera nu has run', async () => {
      const auditor = await createPerson(t, { name: 'Revisor Rut', email: 'rut@example.se', organisationId: p.kommun.id }, ['auditor']);
      await withPasswords(t, [[auditor, ['auditor']]]);
      const session = await HttpSession.signIn(t, 'rut@example.se');
      const pressed = await session.post('/granskning/kontrollera', await session.form('/granskning', '/granskning/kontrollera')).expect(303);
      expect(pressed.headers.location).toBe('/granskning?kontroll=startad');
      await t.started.app.get(AuditVerificationRunService).settled();
      const page = await session.get('/granskning').expect(200);
      expect(page.text).toContain('fel hittades i historiken');
      expect(page.text).toContain('hela historiken saknas');
      expect(page.text).toContain('rader saknas i slutet');
      expect(page.text).toContain('Signaturen ogiltig');
    });
  });

  describe('the start check', () => {
    const quiet = () => new JsonLogger('error', () => undefined);
    const env = (url: string, extra: Record<string, string> = {}) => ({ DATABASE_URL: url, LOG_LEVEL: 'error', TIMER_SWEEP_INTERVAL_MS: '0', OUTBOX_SEND_INTERVAL_MS: '0', AUDIT_CHECKPOINT_INTERVAL_HOURS: '0', ...extra });

    it('refuses to start as a superuser or as the owner', async () => {
      await expect(createApp({ env: env(t.db.url), port: 0, logger: quiet() })).rejects.toThrow(/Tjänsten startar inte: .*är superanvändare.*ALLOW_PRIVILEGED_DATABASE_ROLE=on/);
      await expect(createApp({ env: env(t.db.ownerUrl), port: 0, logger: quiet() })).rejects.toThrow(/äger tabellen audit_event.*MIGRATION_DATABASE_URL/);
    });

    it('starts as a superuser when the operator says the risk is accepted', async () => {
      const started = await createApp({ env: env(t.db.url, { ALLOW_PRIVILEGED_DATABASE_ROLE: 'on' }), port: 0, logger: quiet() });
      await started.app.close();
    });
  });
});
