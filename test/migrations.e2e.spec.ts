import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '@app/database/data-source';
import { serviceRoleConnectionOption } from '@app/database/database-roles';
import { createTestDatabase, type TestDatabase } from '@test/support/database';

const TABLES = [
  'account',
  'account_change',
  'account_invitation',
  'agreement',
  'agreement_cost_line',
  'agreement_document',
  'agreement_member',
  'agreement_party',
  'api_token',
  'audit_checkpoint',
  'audit_event',
  'audit_verification_run',
  'calendar_token',
  'case_deadline',
  'case_record',
  'case_reminder',
  'case_timer',
  'committee_meeting',
  'committee_visit',
  'document_template',
  'follow_up_meeting',
  'follow_up_report',
  'funding_decision',
  'idempotency_key',
  'incident',
  'login_throttle',
  'notice_opt_out',
  'oidc_login',
  'organisation',
  'outbox_message',
  'person',
  'security_event',
  'session',
  'sweep_heartbeat',
  'visit_template',
];

describe('migrations on an empty database', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    // As the owner, naming the service role, the way the service runs them.
    const base = buildDataSourceOptions(db.ownerUrl);
    ds = await new DataSource({ ...base, extra: { ...(base.extra as object), options: serviceRoleConnectionOption(`${db.name}_app`) }, logging: false }).initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const tables = async () =>
    (await ds.query<Array<{ table_name: string }>>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY 1`)).map(
      (r) => r.table_name,
    );

  it('go up, down and up again, leaving the schema they promise', async () => {
    expect(await tables()).toEqual([]);
    const ran = await ds.runMigrations({ transaction: 'each' });
    expect(ran.length).toBeGreaterThan(0);
    expect(await tables()).toEqual(TABLES);
    expect(await ds.showMigrations()).toBe(false);

    for (let i = 0; i < ran.length; i += 1) await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);
    const functions = await ds.query(`SELECT proname FROM pg_proc WHERE proname = 'audit_event_is_append_only'`);
    expect(functions).toEqual([]);

    await ds.runMigrations({ transaction: 'each' });
    expect(await tables()).toEqual(TABLES);
  });

  it('keeps the sweeper on a partial index of unfired timers', async () => {
    const [index] = await ds.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'case_timer_due_idx'`);
    expect(index.indexdef).toMatch(/WHERE \(fired_at IS NULL\)/);
  });
});
