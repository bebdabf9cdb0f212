import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxState = 'pending' | 'sent' | 'failed';

/** One e-mail to one recipient, written with the decision that caused it; the sender delivers it. */
@Entity('outbox_message')
export class OutboxMessage {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  /** (agreement, reminder, cycle, recipient): a second copy cannot be written. */
  @Column('text', { name: 'idempotency_key', unique: true })
  idempotencyKey!: string;

  /** Derived from the idempotency key, so a resend after a crash carries the same Message-ID. */
  @Column('text', { name: 'message_id', unique: true })
  messageId!: string;

  @Column('uuid', { name: 'agreement_id', nullable: true })
  agreementId!: string | null;

  @Column('text')
  kind!: string;

  @Column('text')
  recipient!: string;

  @Column('text', { name: 'recipient_name', nullable: true })
  recipientName!: string | null;

  @Column('text')
  subject!: string;

  @Column('text', { name: 'text_body' })
  textBody!: string;

  @Column('text', { name: 'html_body' })
  htmlBody!: string;

  /** An iCalendar (VCALENDAR) attachment with the deadline, when the message is about one. */
  @Column('text', { nullable: true })
  ics!: string | null;

  @Column('text', { default: 'pending' })
  state!: OutboxState;

  @Column('integer', { default: 0 })
  attempts!: number;

  @Column('timestamptz', { name: 'next_attempt_at' })
  nextAttemptAt!: Date;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt!: Date | null;
}
