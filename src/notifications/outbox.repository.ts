import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

export interface OutgoingMessage {
  /** e.g. `reminder:<agreementId>:decision_upcoming:1m:<cycle>:<recipient>`; unique forever. */
  idempotencyKey: string;
  agreementId: string | null;
  kind: string;
  recipient: string;
  recipientName?: string | null;
  subject: string;
  text: string;
  html: string;
  ics?: string | null;
}

/** A Message-ID that is the same however often the message is written or sent. */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/**
 * Writes a message to the outbox inside the caller's transaction. Returns false
 * when one with the same idempotency key already exists (nothing is written twice).
 */
export async function enqueueMessage(manager: EntityManager, message: OutgoingMessage, now: Date, messageIdDomain: string): Promise<boolean> {
  const rows = await manager.query<Array<{ id: string }>>(
    `INSERT INTO outbox_message (idempotency_key, message_id, agreement_id, kind, recipient, recipient_name, subject, text_body, html_body, ics, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    [
      message.idempotencyKey,
      messageIdFor(message.idempotencyKey, messageIdDomain),
      message.agreementId,
      message.kind,
      message.recipient.toLowerCase(),
      message.recipientName ?? null,
      message.subject,
      message.text,
      message.html,
      message.ics ?? null,
      now,
    ],
  );
  return rows.length > 0;
}
