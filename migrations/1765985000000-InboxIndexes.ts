import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Att göra asks each source for what waits for one person, bounded, on every page view (the count in
 * the navigation): the agreements a person is named on (by person, not only by agreement), those
 * that wait (initiatives, returned drafts, under signing) in the order they started waiting, those
 * with an amendment pending, and the e-mail that could not be delivered.
 */
export class InboxIndexes1765985000000 implements MigrationInterface {
  name = 'InboxIndexes1765985000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX agreement_member_person_idx ON agreement_member (person_id, role)`);
    // Each in Att göra's order (since when it waits, then title and id), only over the rows that wait.
    await q.query(`CREATE INDEX agreement_initiative_since_idx ON agreement ((context->>'proposedOn'), title, id) WHERE state = 'initiative'`);
    await q.query(
      `CREATE INDEX agreement_returned_since_idx ON agreement ((context->'lastReturn'->>'on'), title, id) WHERE state = 'draft' AND jsonb_typeof(context->'lastReturn') = 'object'`,
    );
    await q.query(`CREATE INDEX agreement_signing_since_idx ON agreement ((context->>'signingSince'), title, id) WHERE state = 'signing'`);
    await q.query(`CREATE INDEX agreement_amendment_pending_idx ON agreement (id) WHERE jsonb_typeof(context->'amendment') = 'object'`);
    await q.query(`CREATE INDEX outbox_message_failed_idx ON outbox_message (created_at, id) WHERE state IN ('failed', 'possibly_delivered')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    const indexes = ['outbox_message_failed_idx', 'agreement_amendment_pending_idx', 'agreement_signing_since_idx', 'agreement_returned_since_idx', 'agreement_initiative_since_idx', 'agreement_member_person_idx'];
    for (const index of indexes) await q.query(`DROP INDEX ${index}`);
  }
}
