import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Att göra asks each source for what waits for one person, bounded, on every page view (the count in
 * the navigation): the agreements a person is named on (by person, not only by agreement), the
 * states that wait for the secretariat in the order they arrived, the agreements with an amendment
 * pending, and the e-mail that could not be delivered.
 */
export class InboxIndexes1765985000000 implements MigrationInterface {
  name = 'InboxIndexes1765985000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX agreement_member_person_idx ON agreement_member (person_id, role)`);
    await q.query(`CREATE INDEX agreement_waiting_idx ON agreement (state, created_at, id) WHERE state IN ('initiative', 'draft', 'signing')`);
    await q.query(`CREATE INDEX agreement_amendment_pending_idx ON agreement (id) WHERE jsonb_typeof(context->'amendment') = 'object'`);
    await q.query(`CREATE INDEX outbox_message_failed_idx ON outbox_message (created_at, id) WHERE state IN ('failed', 'possibly_delivered')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const index of ['outbox_message_failed_idx', 'agreement_amendment_pending_idx', 'agreement_waiting_idx', 'agreement_member_person_idx']) await q.query(`DROP INDEX ${index}`);
  }
}
