import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '@app/config/app-config';
import { ClockService } from '@app/clock/clock.service';
import { classifyMailError, MailTransport, senderDomain, type MailFailure } from './mail.transport';
import { enqueueMessage } from './outbox.repository';

/** Kind of the report sent to the secretariat when a message is refused; such reports are never reported themselves. */
export const DELIVERY_FAILURE_KIND = 'delivery_failure';
/** Rows claimed (and sent in parallel over the pool) per transaction. */
export const DEFAULT_BATCH_SIZE = 200;
/** Batches in flight at once per instance, each its own transaction and SKIP LOCKED claim (2 × 200 kept the SMTP pool as busy as 4 × 50, with half the database connections). */
export const DEFAULT_LANES = 2;
/** Backoff after the n-th failed attempt: 1 min × 2^(n−1), at most 6 h, plus up to 10 % jitter. */
const BACKOFF_BASE_MS = 60_000;
const BACKOFF_CAP_MS = 6 * 60 * 60_000;
/** A temporary error this many times (≈ 3 days with the backoff above) ends as failed and reported. */
export const MAX_ATTEMPTS = 20;

interface ClaimedRow {
  id: string;
  message_id: string;
  agreement_id: string | null;
  kind: string;
  recipient: string;
  recipient_name: string | null;
  subject: string;
  text_body: string;
  html_body: string;
  ics: string | null;
  attempts: number;
}

export interface DeliveryResult {
  sent: number;
  /** Temporary errors: back to pending with a later next_attempt_at. */
  retried: number;
  /** Permanent refusals (and temporary errors past MAX_ATTEMPTS): failed and reported. */
  failed: number;
}

export interface DeliverOptions {
  batchSize?: number;
  lanes?: number;
}

type Outcome = { row: ClaimedRow; failure: null } | { row: ClaimedRow; failure: MailFailure };

/** Delay before the next attempt after `attempts` failed ones (attempts ≥ 1). */
export function backoffMs(attempts: number, jitter = Math.random()): number {
  const base = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_MS);
  return Math.round(base * (1 + 0.1 * jitter));
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Delivers the outbox. Each batch is one transaction: claim due pending rows with
 * `FOR UPDATE SKIP LOCKED` (so any number of instances share the work and never send the
 * same row at once), send them concurrently over the pooled transport, then record every
 * outcome — sent, retry later, or failed plus a report to the secretariat — and commit.
 *
 * Crash window: if the process dies (or the commit is lost) after the SMTP server accepted a
 * message but before the commit, the row is still pending and is sent again by the next
 * sweep. Delivery is therefore at-least-once; the resend carries the same Message-ID (it is
 * derived from the idempotency key), so mail clients and archives can recognise the copy.
 */
@Injectable()
export class OutboxSenderService {
  private readonly logger = new Logger('Utskick');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
  ) {}

  /** Delivers every message due by now, batch after batch, until none is left. */
  async deliverDue(options: DeliverOptions = {}): Promise<DeliveryResult> {
    const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    const lanes = Math.max(1, options.lanes ?? DEFAULT_LANES);
    const total: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
    const lane = async (): Promise<void> => {
      for (;;) {
        const result = await this.deliverBatch(batchSize);
        total.sent += result.sent;
        total.retried += result.retried;
        total.failed += result.failed;
        if (result.sent + result.retried + result.failed === 0) return;
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    return total;
  }

  private deliverBatch(batchSize: number): Promise<DeliveryResult> {
    return this.dataSource.transaction(async (manager) => {
      const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
      const rows = await manager.query<ClaimedRow[]>(
        `SELECT id, message_id, agreement_id, kind, recipient, recipient_name, subject, text_body, html_body, ics, attempts
           FROM outbox_message
          WHERE state = 'pending' AND next_attempt_at <= $1
          ORDER BY next_attempt_at, id
          LIMIT $2
          FOR UPDATE SKIP LOCKED`,
        [this.clock.now(), batchSize],
      );
      if (rows.length === 0) return result;

      const date = this.clock.now();
      const outcomes = await Promise.all(
        rows.map((row): Promise<Outcome> =>
          this.transport
            .send({
              outboxId: row.id,
              messageId: row.message_id,
              to: row.recipient,
              toName: row.recipient_name,
              subject: row.subject,
              text: row.text_body,
              html: row.html_body,
              ics: row.ics,
              date,
            })
            .then(
              () => ({ row, failure: null }),
              (error: unknown) => ({ row, failure: classifyMailError(error) }),
            ),
        ),
      );

      const now = this.clock.now();
      const sent = outcomes.filter((o) => o.failure === null).map((o) => o.row.id);
      if (sent.length > 0) {
        await manager.query(`UPDATE outbox_message SET state = 'sent', sent_at = $2, attempts = attempts + 1 WHERE id = ANY($1::bigint[])`, [sent, now]);
        result.sent = sent.length;
      }

      const retry = { ids: [] as string[], at: [] as Date[], errors: [] as string[] };
      for (const outcome of outcomes) {
        if (outcome.failure === null) continue;
        const attempts = outcome.row.attempts + 1;
        if (outcome.failure.permanent || attempts >= MAX_ATTEMPTS) {
          const error = outcome.failure.permanent ? outcome.failure.message : `Gav upp efter ${attempts} försök: ${outcome.failure.message}`;
          await this.markFailed(manager, outcome.row, attempts, error, now);
          result.failed += 1;
        } else {
          retry.ids.push(outcome.row.id);
          retry.at.push(new Date(now.getTime() + backoffMs(attempts)));
          retry.errors.push(outcome.failure.message);
        }
      }
      if (retry.ids.length > 0) {
        await manager.query(
          `UPDATE outbox_message m
              SET attempts = m.attempts + 1, next_attempt_at = u.next_at, last_error = u.error
             FROM unnest($1::bigint[], $2::timestamptz[], $3::text[]) AS u(id, next_at, error)
            WHERE m.id = u.id`,
          [retry.ids, retry.at, retry.errors],
        );
        result.retried = retry.ids.length;
        this.logger.warn(`${retry.ids.length} utskick försöks igen senare: ${retry.errors[0]}`);
      }
      return result;
    });
  }

  private async markFailed(manager: EntityManager, row: ClaimedRow, attempts: number, error: string, now: Date): Promise<void> {
    await manager.query(`UPDATE outbox_message SET state = 'failed', attempts = $2, last_error = $3 WHERE id = $1`, [row.id, attempts, error]);
    this.logger.warn(`Utskick ${row.id} till ${row.recipient} kunde inte levereras: ${error}`);
    // A report that cannot be delivered is not reported again: no loops.
    if (row.kind === DELIVERY_FAILURE_KIND) return;
    await enqueueMessage(manager, this.failureReport(row, attempts, error), now, senderDomain(this.config.mailFrom));
  }

  private failureReport(row: ClaimedRow, attempts: number, error: string) {
    const base = this.config.publicBaseUrl;
    const to = row.recipient_name ? `${row.recipient_name} <${row.recipient}>` : row.recipient;
    const lines: Array<[string, string]> = [
      ['Mottagare', to],
      ['Ämne', row.subject],
      ['Typ', row.kind],
      ['Utskick', `#${row.id}`],
      ['Försök', String(attempts)],
      ['Serverns svar', error],
    ];
    const links: Array<[string, string]> = [
      ...(row.agreement_id ? ([['Överenskommelsens utskick', `${base}/agreements/${row.agreement_id}/notifications`]] as Array<[string, string]>) : []),
      ['Alla misslyckade utskick', `${base}/notifications/failed`],
    ];
    const intro = 'Ett e-postmeddelande från IOP-motorn kunde inte levereras och skickas inte igen.';
    const outro = 'Kontrollera adressen och nå mottagaren på annat sätt om meddelandet behövs.';
    return {
      idempotencyKey: `delivery-failure:${row.id}`,
      agreementId: row.agreement_id,
      kind: DELIVERY_FAILURE_KIND,
      recipient: this.config.secretariatEmail,
      recipientName: 'Nämndkansliet',
      subject: `Utskick kunde inte levereras: ${row.subject}`,
      text: [intro, '', ...lines.map(([k, v]) => `${k}: ${v}`), '', ...links.map(([k, v]) => `${k}: ${v}`), '', outro, ''].join('\n'),
      html:
        `<p>${escapeHtml(intro)}</p>\n<table>\n` +
        lines.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n') +
        `\n</table>\n<ul>\n` +
        links.map(([k, v]) => `<li><a href="${escapeHtml(v)}">${escapeHtml(k)}</a></li>`).join('\n') +
        `\n</ul>\n<p>${escapeHtml(outro)}</p>\n`,
    };
  }
}
