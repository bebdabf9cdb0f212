import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention (issue 11): the marker for sent e-mails whose bodies were emptied, and its index.
 */
export class MailBodyRetention1765400000000 implements MigrationInterface {
  name = 'MailBodyRetention1765400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_message ADD COLUMN body_pruned_at timestamptz`);
    await q.query(`CREATE INDEX outbox_message_body_kept_idx ON outbox_message (sent_at) WHERE state = 'sent' AND body_pruned_at IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_message_body_kept_idx`);
    await q.query(`ALTER TABLE outbox_message DROP COLUMN body_pruned_at`);
  }
}
