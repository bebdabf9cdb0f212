import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * pending → sending (claimed under a lease) → sent | pending (retry) | failed | possibly_delivered.
 * possibly_delivered: the connection was lost after the whole message went out, before the server's reply.
 */
export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed' | 'possibly_delivered';

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

  @Column('text', { name: 'case_type', nullable: true })
  caseType!: string | null;

  @Column('uuid', { name: 'case_id', nullable: true })
  caseId!: string | null;

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

  /** While sending: until when this claim owns the row; after it another claim may take it over. */
  @Column('timestamptz', { name: 'lease_until', nullable: true })
  leaseUntil!: Date | null;

  /** While sending: the claim that owns the row; an outcome is recorded only under the same token. */
  @Column('uuid', { name: 'claim_token', nullable: true })
  claimToken!: string | null;

  /** Attempts whose connection was lost after the message had gone out, before the server's reply. */
  @Column('integer', { name: 'possibly_delivered_count', default: 0 })
  possiblyDeliveredCount!: number;

  @Column('timestamptz', { name: 'possibly_delivered_at', nullable: true })
  possiblyDeliveredAt!: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt!: Date | null;
}
