import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Messages written together share one next_attempt_at; claim them in (next_attempt_at, id) order without a sort. */
export class OutboxClaimOrder1764400000000 implements MigrationInterface {
  name = 'OutboxClaimOrder1764400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_message_pending_idx`);
    await q.query(`CREATE INDEX outbox_message_pending_idx ON outbox_message (next_attempt_at, id) WHERE state = 'pending'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_message_pending_idx`);
    await q.query(`CREATE INDEX outbox_message_pending_idx ON outbox_message (next_attempt_at) WHERE state = 'pending'`);
  }
}
