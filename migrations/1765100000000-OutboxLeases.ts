import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox delivery in short steps: a claimed row is 'sending' under a lease (lease_until, claim_token)
 * instead of locked by a transaction held across SMTP. While sending, next_attempt_at equals
 * lease_until, so the one claim index finds both due pending rows and expired leases. A message
 * whose connection was lost after the whole message went out, before the server's reply, may have
 * been delivered: counted, and after MAX_POSSIBLY_DELIVERED such outcomes it ends 'possibly_delivered'.
 */
export class OutboxLeases1765100000000 implements MigrationInterface {
  name = 'OutboxLeases1765100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_message DROP CONSTRAINT outbox_message_state_check`);
    await q.query(`ALTER TABLE outbox_message ADD CONSTRAINT outbox_message_state_check CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'possibly_delivered'))`);
    await q.query(`
      ALTER TABLE outbox_message
        ADD COLUMN lease_until timestamptz,
        ADD COLUMN claim_token uuid,
        ADD COLUMN possibly_delivered_count integer NOT NULL DEFAULT 0,
        ADD COLUMN possibly_delivered_at timestamptz,
        ADD CONSTRAINT outbox_message_lease_check CHECK ((state = 'sending') = (lease_until IS NOT NULL AND claim_token IS NOT NULL))`);
    await q.query(`DROP INDEX outbox_message_pending_idx`);
    await q.query(`CREATE INDEX outbox_message_due_idx ON outbox_message (next_attempt_at, id) WHERE state IN ('pending', 'sending')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_message_due_idx`);
    // A message on the wire goes back to waiting; one that may have arrived is reported as failed.
    await q.query(`UPDATE outbox_message SET state = 'pending' WHERE state = 'sending'`);
    await q.query(`UPDATE outbox_message SET state = 'failed' WHERE state = 'possibly_delivered'`);
    await q.query(`
      ALTER TABLE outbox_message
        DROP CONSTRAINT outbox_message_lease_check,
        DROP COLUMN lease_until,
        DROP COLUMN claim_token,
        DROP COLUMN possibly_delivered_count,
        DROP COLUMN possibly_delivered_at`);
    await q.query(`ALTER TABLE outbox_message DROP CONSTRAINT outbox_message_state_check`);
    await q.query(`ALTER TABLE outbox_message ADD CONSTRAINT outbox_message_state_check CHECK (state IN ('pending', 'sent', 'failed'))`);
    await q.query(`CREATE INDEX outbox_message_pending_idx ON outbox_message (next_attempt_at, id) WHERE state = 'pending'`);
  }
}
