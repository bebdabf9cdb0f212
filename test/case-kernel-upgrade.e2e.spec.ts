import { DataSource } from 'typeorm';
import { createApp, type StartedApp } from '@app/bootstrap';
import { GENESIS_HASH, hashOf } from '@app/audit/audit-chain';
import type { Actor } from '@app/audit/actor';
import { AuditVerifierService } from '@app/audit/audit-verifier.service';
import { ClockService } from '@app/clock/clock.service';
import { buildDataSourceOptions } from '@app/database/data-source';
import { serviceRoleConnectionOption } from '@app/database/database-roles';
import { JsonLogger } from '@app/logging/json-logger';
import { WorkflowEngineService } from '@app/workflow-engine/workflow-engine.service';
import { agreementDefinition } from '@workflows/agreement/definition';
import { bromodellenInput } from '@workflows/agreement/__fixtures__/factories';
import { start } from '@workflows/kernel/kernel';
import { createTestDatabase, type TestDatabase } from '@test/support/database';

/** The migrations from the case kernel on, newest first: undone to build the release before it. */
const SINCE_KERNEL = [
  'NoticePreferences1766020000000',
  'AccountInvitations1766010000000',
  'YearlyOverviewColumns1766000000000',
  'AgreementDocuments1765990000000',
  'InboxIndexes1765985000000',
  'AuditVerificationRuns1765980000000',
  'ProposerIndex1765976000000',
  'ChainHeadOnCase1765975000000',
  'OverviewColumns1765970000000',
  'ListIndexes1765960000000',
  'CaseDeadlines1765950000000',
  'FundingDecisions1765810000000',
  'CommitteeMeetings1765800000000',
  'CaseKernel1765700000000',
];

/**
 * Upgrading a database written by the release before the case kernel: an agreement with its
 * history (hashed as that release hashed it), a timer, a reminder, an e-mail, an incident and a
 * security-log row, in the old tables. After the migrations everything is there, keyed by case,
 * every chain verifies intact, and the next transition extends the old chain.
 */
describe('upgrading to the case kernel keeps every row and every audit chain', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let started: StartedApp | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    const base = buildDataSourceOptions(db.ownerUrl);
    ds = await new DataSource({ ...base, extra: { ...(base.extra as object), options: serviceRoleConnectionOption(`${db.name}_app`) }, logging: false }).initialize();
  });
  afterAll(async () => {
    await started?.app.close();
    await ds.destroy();
    await db.drop();
  });

  it('moves the data, verifies the old chain intact, and appends to it in the new format', async () => {
    await ds.runMigrations({ transaction: 'each' });
    for (const name of SINCE_KERNEL) {
      const [last] = await ds.query<Array<{ name: string }>>(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
      expect(last.name).toBe(name);
      await ds.undoLastMigration({ transaction: 'each' });
    }
    expect((await ds.query(`SELECT to_regclass('agreement_timer') AS t`))[0].t).toBe('agreement_timer');

    // The release before wrote these rows.
    const [org] = await ds.query<Array<{ id: string }>>(`INSERT INTO organisation (name, organisation_number, kind) VALUES ('Studieförbundet Bilda Sydöst', '817602-0520', 'civil_society') RETURNING id`);
    const [person] = await ds.query<Array<{ id: string }>>(`INSERT INTO person (name, email, organisation_id) VALUES ('Nina', 'nina@example.se', $1) RETURNING id`, [org.id]);
    const id = '0b7e2c7e-4a4c-4d7e-9d55-6a1f3c2b9e01';
    const persisted = start(agreementDefinition, bromodellenInput({ agreementId: id, proposedBy: org.id, proposedOn: '2026-03-02' }));
    await ds.query(
      `INSERT INTO agreement (id, title, proposed_by_organisation_id, machine_version, state_value, context, state) VALUES ($1, 'Bromodellen', $2, $3, $4::jsonb, $5::jsonb, 'initiative')`,
      [id, org.id, persisted.machineVersion, JSON.stringify(persisted.value), JSON.stringify(persisted.context)],
    );
    let prev = GENESIS_HASH;
    const rows = [
      { seq: 1, at: '2026-03-02T09:00:00.000Z', type: 'PROPOSE_INITIATIVE', from: '', to: 'initiative', outcome: 'applied' },
      { seq: 2, at: '2026-03-03T09:00:00.000Z', type: 'SEND_FOR_SIGNING', from: 'initiative', to: 'initiative', outcome: 'refused' },
    ];
    for (const r of rows) {
      const fields = {
        agreementId: id,
        seq: r.seq,
        occurredAt: r.at,
        actorPersonId: person.id,
        actorName: 'Nina',
        actorRole: 'secretariat',
        actorOrganisationId: org.id,
        actorOrganisationName: 'Studieförbundet Bilda Sydöst',
        eventType: r.type,
        payload: { effectiveOn: r.at.slice(0, 10) },
        fromState: r.from,
        toState: r.to,
        reason: null,
        outcome: r.outcome,
        prevHash: prev,
      };
      const hash = hashOf(fields);
      await ds.query(
        `INSERT INTO audit_event (agreement_id, seq, occurred_at, actor_person_id, actor_name, actor_role, actor_organisation_id, actor_organisation_name, event_type, payload, from_state, to_state, reason, outcome, prev_hash, hash)
         VALUES ($1, $2, $3, $4, 'Nina', 'secretariat', $5, 'Studieförbundet Bilda Sydöst', $6, $7::jsonb, $8, $9, NULL, $10, $11, $12)`,
        [id, r.seq, r.at, person.id, org.id, r.type, JSON.stringify(fields.payload), r.from, r.to, r.outcome, prev, hash],
      );
      prev = hash;
    }
    await ds.query(`INSERT INTO audit_chain_head (agreement_id, event_count, last_hash, updated_at) VALUES ($1, 2, $2, now())`, [id, prev]);
    await ds.query(`INSERT INTO agreement_timer (agreement_id, kind, cycle, due_date, due_at, event_type, scheduled_in_state) VALUES ($1, 'start', 0, '2027-01-01', '2026-12-31T23:00:00Z', 'START_DATE_REACHED', 'signed')`, [id]);
    await ds.query(
      `INSERT INTO agreement_reminder (agreement_id, kind, reminder_key, cycle, audience, send_at, deadline_date, scheduled_in_state) VALUES ($1, 'signature_missing', 'signature_missing:1w', 1, 'secretariat', '2026-04-01T06:00:00Z', '2026-04-08', 'signing')`,
      [id],
    );
    await ds.query(
      `INSERT INTO outbox_message (idempotency_key, message_id, agreement_id, kind, recipient, subject, text_body, html_body, next_attempt_at, created_at) VALUES ('old-1', '<old-1@example.se>', $1, 'reminder', 'nina@example.se', 'Påminnelse', 'Hej', '<p>Hej</p>', now(), now()),
       ('old-2', '<old-2@example.se>', NULL, 'weekly_digest', 'kansli@example.se', 'Veckobrev', 'Hej', '<p>Hej</p>', now(), now())`,
      [id],
    );
    await ds.query(`INSERT INTO incident (source, row_id, agreement_id, summary, error, attempts, opened_at, last_seen_at) VALUES ('timer', 1, $1, 'Datum', 'fel', 3, now(), now())`, [id]);
    await ds.query(`INSERT INTO security_event (occurred_at, kind, person_id, actor_name, agreement_id, event_type) VALUES (now(), 'unseen_agreement_attempt', $1, 'Nina', $2, 'SIGN')`, [person.id, id]);

    // The upgrade.
    const ran = await ds.runMigrations({ transaction: 'each' });
    expect(ran.map((m) => m.name)).toEqual([...SINCE_KERNEL].reverse());

    expect(await ds.query(`SELECT case_type, title, reference, state FROM case_record WHERE id = $1`, [id])).toEqual([{ case_type: 'agreement', title: 'Bromodellen', reference: null, state: 'initiative' }]);
    for (const table of ['case_timer', 'case_reminder', 'incident', 'security_event']) {
      expect(await ds.query(`SELECT case_type, case_id FROM ${table}`)).toEqual([{ case_type: 'agreement', case_id: id }]);
    }
    // The chain's head moved onto the case's row.
    expect(await ds.query(`SELECT audit_event_count, audit_last_hash FROM case_record WHERE id = $1`, [id])).toEqual([{ audit_event_count: 2, audit_last_hash: prev }]);
    expect(await ds.query(`SELECT idempotency_key, case_type, case_id FROM outbox_message ORDER BY idempotency_key`)).toEqual([
      { idempotency_key: 'old-1', case_type: 'agreement', case_id: id },
      { idempotency_key: 'old-2', case_type: null, case_id: null },
    ]);
    expect(await ds.query(`SELECT seq, case_type, chain_version FROM audit_event ORDER BY seq`)).toEqual([
      { seq: 1, case_type: 'agreement', chain_version: 1 },
      { seq: 2, case_type: 'agreement', chain_version: 1 },
    ]);

    started = await createApp({
      env: { ...db.env, LOG_LEVEL: 'error', TIMER_SWEEP_INTERVAL_MS: '0', OUTBOX_SEND_INTERVAL_MS: '0', AUDIT_CHECKPOINT_INTERVAL_HOURS: '0', RETENTION_INTERVAL_MS: '0', DEMO_DATA: 'off' },
      port: 0,
      logger: new JsonLogger('error', () => undefined),
    });
    started.app.get(ClockService).freeze(new Date('2026-03-04T09:00:00Z'));
    const verifier = started.app.get(AuditVerifierService);
    const before = await verifier.verify(new Date());
    expect(before).toMatchObject({ intact: true, agreementsChecked: 1, eventsChecked: 2 });

    // The next step, by the secretariat, appends a version-2 row to the version-1 chain.
    const secretariat: Actor = { personId: person.id, name: 'Nina', role: 'secretariat', roles: ['secretariat'], organisationId: org.id, organisationName: 'Studieförbundet Bilda Sydöst', organisationKind: 'civil_society' };
    await started.app.get(WorkflowEngineService).apply({ type: 'agreement', id }, { type: 'ACCEPT_INITIATIVE' }, secretariat);
    expect(await ds.query(`SELECT seq, chain_version, to_state FROM audit_event ORDER BY seq`)).toEqual([
      { seq: 1, chain_version: 1, to_state: 'initiative' },
      { seq: 2, chain_version: 1, to_state: 'initiative' },
      { seq: 3, chain_version: 2, to_state: 'draft' },
    ]);
    expect(await verifier.verify(new Date())).toMatchObject({ intact: true, agreementsChecked: 1, eventsChecked: 3 });
    expect((await ds.query(`SELECT state FROM case_record WHERE id = $1`, [id]))[0].state).toBe('draft');
  });
});
