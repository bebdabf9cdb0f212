import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { CaseRef } from '@app/cases/case-kind';

export interface OutgoingMessage {
  /** e.g. `reminder:<caseId>:decision_upcoming:1m:<cycle>:<recipient>`; unique forever. */
  idempotencyKey: string;
  /** The case the message is about, if any. */
  case: CaseRef | null;
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
  return (await enqueueMessages(manager, [message], now, messageIdDomain)) === 1;
}

/** Several messages in one statement (a step's notices to each person); returns how many were new. */
export async function enqueueMessages(manager: Pick<EntityManager, 'query'>, messages: readonly OutgoingMessage[], now: Date, messageIdDomain: string): Promise<number> {
  if (messages.length === 0) return 0;
  const column = <T>(of: (m: OutgoingMessage) => T): T[] => messages.map(of);
  const rows = await manager.query<Array<{ id: string }>>(
    `INSERT INTO outbox_message (idempotency_key, message_id, case_id, kind, recipient, recipient_name, subject, text_body, html_body, ics, next_attempt_at, created_at, case_type)
     SELECT m.idempotency_key, m.message_id, m.case_id, m.kind, m.recipient, m.recipient_name, m.subject, m.text_body, m.html_body, m.ics, $11, $11, m.case_type
       FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $12::text[])
         AS m (idempotency_key, message_id, case_id, kind, recipient, recipient_name, subject, text_body, html_body, ics, case_type)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    [
      column((m) => m.idempotencyKey),
      column((m) => messageIdFor(m.idempotencyKey, messageIdDomain)),
      column((m) => m.case?.id ?? null),
      column((m) => m.kind),
      column((m) => m.recipient.toLowerCase()),
      column((m) => m.recipientName ?? null),
      column((m) => m.subject),
      column((m) => m.text),
      column((m) => m.html),
      column((m) => m.ics ?? null),
      now,
      column((m) => m.case?.type ?? null),
    ],
  );
  return rows.length;
}

/**
 * Retention: empties the bodies (text, HTML, calendar file) of messages sent before `before`, in
 * batches of `batchSize`, and marks them body_pruned_at. Recipient, subject, kind and times stay:
 * that a message was sent, to whom and when, is kept. Returns how many were emptied.
 */
export async function pruneSentBodies(manager: Pick<EntityManager, 'query'>, before: Date, now: Date, batchSize = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await manager.query<Array<{ id: string }>>(
      `WITH emptied AS (UPDATE outbox_message SET text_body = '', html_body = '', ics = NULL, body_pruned_at = $2
        WHERE id IN (SELECT id FROM outbox_message WHERE state = 'sent' AND body_pruned_at IS NULL AND sent_at < $1
                      LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id) SELECT id FROM emptied`,
      [before, now, batchSize],
    );
    total += rows.length;
    if (rows.length < batchSize) return total;
  }
}

/** A message no one will send again (refused, given up, or possibly delivered), as Att göra lists it. */
export interface UndeliveredMessage {
  id: string;
  subject: string;
  recipient: string;
  last_error: string | null;
  created_at: Date;
}

const UNDELIVERED = `FROM outbox_message WHERE state IN ('failed', 'possibly_delivered')`;

/** The oldest undelivered messages first, at most `limit` (outbox_message_failed_idx). */
export function undeliveredOldestFirst(manager: Pick<EntityManager, 'query'>, limit: number): Promise<UndeliveredMessage[]> {
  return manager.query<UndeliveredMessage[]>(`SELECT id::text AS id, subject, recipient, last_error, created_at ${UNDELIVERED} ORDER BY created_at, id LIMIT $1`, [limit]);
}

/** How many messages are undelivered, counted to at most `cap`. */
export async function countUndelivered(manager: Pick<EntityManager, 'query'>, cap: number): Promise<number> {
  const [row] = await manager.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM (SELECT 1 ${UNDELIVERED} LIMIT $1) m`, [cap]);
  return row.n;
}
