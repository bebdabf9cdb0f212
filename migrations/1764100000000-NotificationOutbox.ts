import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail leaves through an outbox written in the same transaction that decides
 * it; the idempotency key makes a second copy impossible. Reminders are rows
 * like timers, replaced on every transition.
 */
export class NotificationOutbox1764100000000 implements MigrationInterface {
  name = 'NotificationOutbox1764100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_message (
        id bigserial PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        message_id text NOT NULL UNIQUE,
        agreement_id uuid REFERENCES agreement(id) ON DELETE RESTRICT,
        kind text NOT NULL,
        recipient text NOT NULL,
        recipient_name text,
        subject text NOT NULL,
        text_body text NOT NULL,
        html_body text NOT NULL,
        ics text,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_message_pending_idx ON outbox_message (next_attempt_at) WHERE state = 'pending'`);
    await q.query(`CREATE INDEX outbox_message_agreement_idx ON outbox_message (agreement_id)`);
    await q.query(`
      CREATE TABLE agreement_reminder (
        id bigserial PRIMARY KEY,
        agreement_id uuid NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
        kind text NOT NULL,
        reminder_key text NOT NULL,
        cycle integer NOT NULL,
        audience text NOT NULL,
        send_at timestamptz NOT NULL,
        deadline_date date NOT NULL,
        scheduled_in_state text NOT NULL,
        decided_at timestamptz,
        outcome text
      )`);
    await q.query(`CREATE INDEX agreement_reminder_due_idx ON agreement_reminder (send_at) WHERE decided_at IS NULL`);
    await q.query(`CREATE INDEX agreement_reminder_agreement_idx ON agreement_reminder (agreement_id)`);
    await q.query(`ALTER TABLE agreement ADD COLUMN reminder_policy jsonb`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agreement DROP COLUMN reminder_policy`);
    await q.query(`DROP TABLE agreement_reminder`);
    await q.query(`DROP TABLE outbox_message`);
  }
}
