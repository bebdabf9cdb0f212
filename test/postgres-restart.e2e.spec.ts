/**
 * T08 (issue 11): PostgreSQL restarts under load (`pg_ctl stop -m fast`, then `-m immediate`) while
 * clients create agreements with an Idempotency-Key, the clock fires timers and the outbox sends.
 * Afterwards: every answer was 201, 409 or 503 (never 500), no key created two agreements, every due
 * timer fired once with one audit row, the audit chains are intact, and every outbox message (one
 * row per key) ended sent, or failed / possibly delivered with an incident, and reached the receiver.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { createApp, type StartedApp } from '@app/bootstrap';
import { ACTOR_HEADER } from '@app/auth/actor.resolver';
import { AuditService } from '@app/audit/audit.service';
import { ClockService } from '@app/clock/clock.service';
import { startEmbeddedPostgres, type EmbeddedPostgres, stopEmbeddedServer } from '@app/database/embedded-postgres';
import { JsonLogger } from '@app/logging/json-logger';
import { enqueueMessage } from '@app/notifications/outbox.repository';
import { clientsOf, type TestClients } from '@test/support/test-app';
import { createBromodellenParties, bromodellenBody, senderOf, type BromodellenParties } from '@test/support/factories';
import { SmtpSink } from '@test/support/smtp-sink';

jest.setTimeout(180_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


describe('PostgreSQL restarts under load', () => {
  const serverErrors: string[] = [];
  let root: string;
  let pg: EmbeddedPostgres;
  let started: StartedApp;
  let t: TestClients;
  let p: BromodellenParties;
  const sink = new SmtpSink();

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'iop-pg-restart-'));
    // mkdtemp gives 0700; when run as root, the OS user postgres must reach the data directory.
    await fs.chmod(root, 0o755);
    pg = await startEmbeddedPostgres({ databaseDir: path.join(root, 'data'), database: 'iop_restart', stopOnSignals: false, roles: { owner: 'iop_owner', app: 'iop_app' } });
    await sink.listen();
    started = await createApp({
      env: {
        // As in production: migrations as the owner, the service as its own role.
        DATABASE_URL: pg.appUrl as string,
        MIGRATION_DATABASE_URL: pg.ownerUrl as string,
        AUDIT_CHECKPOINT_INTERVAL_HOURS: '0',
        RETENTION_INTERVAL_MS: '0',
        LOG_LEVEL: 'error',
        TRUST_ACTOR_HEADER: 'on',
        TIMER_SWEEP_INTERVAL_MS: '100',
        OUTBOX_SEND_INTERVAL_MS: '100',
        // Leases of 2 × 2 s: a message whose outcome was lost in the outage is taken again within seconds.
        OUTBOX_SEND_TIMEOUT_MS: '2000',
        SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      },
      port: 0,
      logger: new JsonLogger('error', (line: string) => serverErrors.push(line)),
    });
    started.app.get(ClockService).freeze('2023-05-02T08:00:00Z');
    t = await clientsOf(started);
    p = await createBromodellenParties(t);
  });

  afterAll(async () => {
    await started?.app.close().catch(() => undefined);
    await sink.close();
    await pg?.stop().catch(() => undefined);
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('answers 201, 409 or 503 (never 500), creates each key once and fires each timer once', async () => {
    const clock = started.app.get(ClockService);
    // Signed agreements whose start date passes while the database restarts.
    const signed: string[] = [];
    for (let i = 0; i < 4; i++) {
      const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p, { title: `Signerad ${i}` })).expect(201)).body.id as string;
      for (const body of [{ type: 'ACCEPT_INITIATIVE' }, { type: 'SEND_FOR_SIGNING' }, ...[p.kommun, p.bilda, p.erikshjalpen].map((o) => ({ type: 'SIGN', organisationId: o.id }))]) {
        await t.as(senderOf(p, body)).post(`/agreements/${id}/events`).send(body).expect(200);
      }
      signed.push(id);
    }
    // A running clock, as in production: leases of messages whose outcome could not be written expire.
    clock.runFrom('2024-01-02T08:00:00Z');
    // Mail on its way while the database goes down: 400 messages the sender works through during the restarts.
    const dataSource = started.app.get(DataSource);
    await dataSource.transaction(async (manager) => {
      for (let i = 0; i < 400; i++) {
        const message = { idempotencyKey: `restart:${i}`, case: { type: 'agreement', id: signed[i % signed.length] }, kind: 'restart_test', recipient: `mottagare${i}@example.se`, subject: `Meddelande ${i}`, text: `Text ${i}`, html: `<p>Text ${i}</p>` };
        await enqueueMessage(manager, message, clock.now(), 'example.se');
      }
    });

    const statuses: number[] = [];
    const keys: string[] = [];
    const unexpected: string[] = [];
    let stop = false;
    const http = () => request(started.url);
    const client = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const key = `c${n}-${i}-${randomUUID()}`;
        keys.push(key);
        const body = bromodellenBody(p, { title: `Under omstart ${key}` });
        // Retry the same request with the same key until it is answered for good.
        for (let attempt = 0; attempt < 200; attempt++) {
          const res = await http().post('/agreements').set(ACTOR_HEADER, p.bildaSignatory.id).set('Idempotency-Key', key).send(body).then(
            (r) => r,
            () => null,
          );
          if (res) statuses.push(res.status);
          if (res && ![201, 409, 503].includes(res.status)) unexpected.push(`${res.status} ${JSON.stringify(res.body)}`);
          if (res?.status === 201) break;
          await sleep(res?.status === 503 || res?.status === 409 ? 100 : 50);
        }
      }
    };
    const clients = [0, 1, 2].map(client);

    await sleep(1500);
    await stopEmbeddedServer(pg.databaseDir, 'fast');
    await sleep(1500);
    pg = await startEmbeddedPostgres({ databaseDir: path.join(root, 'data'), port: pg.port, database: 'iop_restart', stopOnSignals: false });
    await sleep(1500);
    await stopEmbeddedServer(pg.databaseDir, 'immediate');
    await sleep(1500);
    pg = await startEmbeddedPostgres({ databaseDir: path.join(root, 'data'), port: pg.port, database: 'iop_restart', stopOnSignals: false });
    await sleep(2000);
    stop = true;
    await Promise.all(clients);

    const sql = new Client({ connectionString: pg.url });
    await sql.connect();
    try {
      // The sweeper and the sender recover by themselves: wait for the timers and the outbox to settle.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const [{ due, pending }] = (
          await sql.query(`SELECT (SELECT count(*) FROM case_timer WHERE fired_at IS NULL AND due_at <= '2024-01-02T08:00:00Z')::int AS due,
                                  (SELECT count(*) FROM outbox_message WHERE state IN ('pending', 'sending'))::int AS pending`)
        ).rows;
        if ((due === 0 && pending === 0) || Date.now() > deadline) break;
        await sleep(250);
      }
      const counted = statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
      console.log(`Svar under omstarterna: ${JSON.stringify(counted)}, nycklar ${keys.length}`);
      if (unexpected.length > 0) console.log(serverErrors.filter((l) => !l.includes('"Bevakning"') && !l.includes('"Utskick"')).slice(-15).join('\n'));
      expect(unexpected).toEqual([]);
      expect(statuses.filter((s) => ![201, 409, 503].includes(s))).toEqual([]);
      expect(counted[503] ?? 0).toBeGreaterThan(0);

      // No key created two agreements, and every key that was answered 201 created one.
      const perKey = (await sql.query(`SELECT resource_id, count(*)::int AS n FROM idempotency_key GROUP BY resource_id HAVING count(*) > 1`)).rows;
      expect(perKey).toEqual([]);
      const [{ made, bound }] = (
        await sql.query(`SELECT (SELECT count(*) FROM agreement WHERE title LIKE 'Under omstart %')::int AS made,
                                (SELECT count(DISTINCT title) FROM agreement WHERE title LIKE 'Under omstart %')::int AS bound`)
      ).rows;
      expect(made).toBe(bound);

      const timers = (await sql.query(`SELECT case_id, event_type, fired_at FROM case_timer WHERE due_at <= '2024-01-02T08:00:00Z' AND case_id = ANY($1)`, [signed])).rows;
      expect(timers.length).toBeGreaterThan(0);
      expect(timers.every((r: { fired_at: Date | null }) => r.fired_at !== null)).toBe(true);
      for (const timer of timers as Array<{ case_id: string; event_type: string }>) {
        const [{ n }] = (await sql.query(`SELECT count(*)::int AS n FROM audit_event WHERE case_id = $1 AND event_type = $2 AND outcome = 'applied'`, [timer.case_id, timer.event_type])).rows;
        expect(n).toBe(1);
      }
      const report = await started.app.get(AuditService).verify(new Date());
      expect(report.breaks).toEqual([]);
      expect(report.intact).toBe(true);

      const outbox = (await sql.query(`SELECT state, count(*)::int AS n FROM outbox_message GROUP BY state`)).rows as Array<{ state: string; n: number }>;
      expect(outbox.filter((r) => !['sent', 'failed', 'possibly_delivered'].includes(r.state))).toEqual([]);
      expect(outbox.reduce((n, r) => n + r.n, 0)).toBeGreaterThanOrEqual(400);
      const dup = (await sql.query(`SELECT idempotency_key FROM outbox_message GROUP BY idempotency_key HAVING count(*) > 1`)).rows;
      expect(dup).toEqual([]);
      // A message that did not end sent is an incident the administrators see.
      const unreported = (await sql.query(`SELECT m.id FROM outbox_message m WHERE m.state <> 'sent'
                                              AND NOT EXISTS (SELECT 1 FROM incident i WHERE i.source = 'outbox' AND i.row_id = m.id)`)).rows;
      expect(unreported).toEqual([]);
      // Every sent message reached the receiving server (at least once: the restarts may resend what was on the wire).
      const sent = (await sql.query(`SELECT message_id FROM outbox_message WHERE state = 'sent'`)).rows as Array<{ message_id: string }>;
      expect(sent.filter((m) => sink.withMessageId(m.message_id).length === 0)).toEqual([]);
      const copies = sent.reduce((n, m) => n + sink.withMessageId(m.message_id).length - 1, 0);
      console.log(`Utskick: ${JSON.stringify(outbox)}; kopior utöver en per Message-ID: ${copies}`);
    } finally {
      await sql.end();
    }
  });
});
