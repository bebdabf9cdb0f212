import { randomUUID } from 'node:crypto';
import type { CaseRef } from '@app/cases/case-kind';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '@app/config/app-config';
import { ClockService } from '@app/clock/clock.service';
import { classifyMailError, MailTransport, senderDomain, type MailFailure } from './mail.transport';
import { recordIncident } from '@app/incidents/incident.repository';
import { enqueueMessage } from './outbox.repository';
import { agreementPageUrl, MAILBOX_PATH } from './page-links';

/** Kind of the report sent to the secretariat when a message is refused; such reports are never reported themselves. */
export const DELIVERY_FAILURE_KIND = 'delivery_failure';
/** Rows claimed per batch for each pooled SMTP connection. */
export const BATCH_PER_CONNECTION = 1;
/**
 * Batches in flight at once per instance, each its own short claim (FOR UPDATE SKIP LOCKED, committed
 * before sending). 4 lanes × 1 row per connection kept the pool busier than 2 × 2 (0.72 against 0.59
 * of direct nodemailer in bench/RESULTS.md, same duplicate bound): a lane waits for its slowest message.
 */
export const DEFAULT_LANES = 4;
/**
 * The duplicate bound. Only a claimed row can be on its way, so a crash, a lost COMMIT or a database
 * restart resends at most lanes × batch = DEFAULT_LANES × BATCH_PER_CONNECTION × SMTP_MAX_CONNECTIONS
 * messages per instance (20 with the default 5 connections) — in practice the few whose reply had
 * arrived and whose outcome was not yet written.
 */
export function inFlightBound(smtpMaxConnections: number, lanes = DEFAULT_LANES): number {
  return lanes * BATCH_PER_CONNECTION * smtpMaxConnections;
}
/** Backoff after the n-th failed attempt: 1 min × 2^(n−1), at most 6 h, plus up to 10 % jitter. */
const BACKOFF_BASE_MS = 60_000;
const BACKOFF_CAP_MS = 6 * 60 * 60_000;
/** A temporary error this many times (≈ 3 days with the backoff above) ends as failed and reported. */
export const MAX_ATTEMPTS = 20;
/** This many "possibly delivered" outcomes end the message as possibly_delivered: at most this many copies arrive that way. */
export const MAX_POSSIBLY_DELIVERED = 2;
/** An outcome that cannot be written (database restarting) is tried again this many times, 250 ms × 2^n apart. */
const OUTCOME_RETRIES = 4;

interface ClaimedRow {
  id: string;
  message_id: string;
  case_type: string | null;
  case_id: string | null;
  kind: string;
  recipient: string;
  recipient_name: string | null;
  subject: string;
  text_body: string;
  html_body: string;
  ics: string | null;
  /** Counted at claim: this attempt included. */
  attempts: number;
  possibly_delivered_count: number;
}

export interface DeliveryResult {
  sent: number;
  /** Temporary errors (and a first "possibly delivered"): back to pending with a later next_attempt_at. */
  retried: number;
  /** Ended without a confirmed delivery: refused, given up after MAX_ATTEMPTS, or possibly delivered; each reported. */
  failed: number;
}

export interface DeliverOptions {
  batchSize?: number;
  lanes?: number;
}

type Ending = { state: 'failed' | 'possibly_delivered'; error: string; possiblyDelivered: boolean };

/** Delay before the next attempt after `attempts` failed ones (attempts ≥ 1). */
export function backoffMs(attempts: number, jitter = Math.random()): number {
  const base = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_MS);
  return Math.round(base * (1 + 0.1 * jitter));
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Delivers the outbox in short steps; no transaction is open while SMTP talks.
 *  1. Claim: one statement takes a small batch of due rows — pending, or sending with an expired
 *     lease — with FOR UPDATE SKIP LOCKED, sets them 'sending' under a lease and a fresh claim token,
 *     counts the attempt, and commits.
 *  2. Send the batch concurrently over the pooled transport, each message bounded by OUTBOX_SEND_TIMEOUT_MS.
 *  3. Record each outcome as soon as it is known, in a short transaction of its own (sent outcomes that
 *     arrive while a write is in progress share the next one), only while the row is still under this
 *     claim's token: sent; retry with backoff; or failed / possibly delivered, with an incident and one
 *     report to the secretariat.
 *
 * At-least-once: a crash, a lost COMMIT or a database restart between the server's 250 and step 3
 * leaves the row 'sending'; when the lease has run out another claim sends it again with the same
 * Message-ID. Only claimed rows can be resent that way: see inFlightBound.
 */
const caseOf = (row: { case_type: string | null; case_id: string | null }): CaseRef | null =>
  row.case_type && row.case_id ? { type: row.case_type, id: row.case_id } : null;

@Injectable()
export class OutboxSenderService {
  private readonly logger = new Logger('Utskick');
  private readonly sentQueue: Array<{ id: string; token: string; resolve: (kept: boolean) => void; reject: (error: unknown) => void }> = [];
  private flushingSent: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
  ) {}

  /** Rows per claim: BATCH_PER_CONNECTION × SMTP_MAX_CONNECTIONS. */
  get batchSize(): number {
    return BATCH_PER_CONNECTION * this.config.smtpMaxConnections;
  }

  /** How long a claim owns its rows: twice the longest a message may take, so only a dead sender's rows are taken over. */
  get leaseMs(): number {
    return 2 * this.config.outboxSendTimeoutMs;
  }

  /** Delivers every message due by now, batch after batch, until none is left. */
  async deliverDue(options: DeliverOptions = {}): Promise<DeliveryResult> {
    const batchSize = Math.max(1, options.batchSize ?? this.batchSize);
    const lanes = Math.max(1, options.lanes ?? DEFAULT_LANES);
    const total: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
    const lane = async (): Promise<void> => {
      for (;;) {
        const claimed = await this.deliverBatch(batchSize, total);
        if (claimed === 0) return;
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    return total;
  }

  /** One claim, its sends and their outcomes; returns how many rows were claimed. */
  private async deliverBatch(batchSize: number, total: DeliveryResult): Promise<number> {
    const now = this.clock.now();
    const token = randomUUID();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    // While sending, next_attempt_at = lease_until: the one index finds due rows and expired leases alike.
    const [rows] = await this.dataSource.query<[ClaimedRow[], number]>(
      `WITH due AS (
         SELECT id FROM outbox_message
          WHERE state IN ('pending', 'sending') AND next_attempt_at <= $1
          ORDER BY next_attempt_at, id
          LIMIT $2
          FOR UPDATE SKIP LOCKED)
       UPDATE outbox_message m
          SET state = 'sending', lease_until = $3, next_attempt_at = $3, claim_token = $4, attempts = m.attempts + 1
         FROM due WHERE m.id = due.id
       RETURNING m.id, m.message_id, m.case_type, m.case_id, m.kind, m.recipient, m.recipient_name, m.subject, m.text_body, m.html_body, m.ics,
                 m.attempts, m.possibly_delivered_count`,
      [now, batchSize, leaseUntil, token],
    );
    if (rows.length === 0) return 0;
    await Promise.all(rows.map((row) => this.deliverOne(row, token, now, total)));
    return rows.length;
  }

  private async deliverOne(row: ClaimedRow, token: string, date: Date, total: DeliveryResult): Promise<void> {
    let failure: MailFailure | null = null;
    try {
      await this.transport.send({
        outboxId: row.id,
        messageId: row.message_id,
        to: row.recipient,
        toName: row.recipient_name,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        ics: row.ics,
        date,
      });
    } catch (error) {
      failure = classifyMailError(error);
    }
    try {
      const kept = await this.withRetries(() => this.recordOutcome(row, token, failure, total));
      if (!kept) this.logger.warn(`Utskick ${row.id}: utfallet sparades inte, raden ägs inte längre av den här sändningen (leasen gick ut och den togs över, eller utfallet var redan sparat).`);
    } catch (error) {
      // The row stays 'sending' until its lease runs out and is then sent again (with the same Message-ID).
      this.logger.error(`Utskick ${row.id}: utfallet kunde inte sparas och skickas igen när leasen gått ut: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async withRetries<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= OUTCOME_RETRIES) throw error;
        await sleep(250 * 2 ** attempt);
      }
    }
  }

  /** Writes one outcome under the claim's token; false when the claim no longer owns the row. */
  private async recordOutcome(row: ClaimedRow, token: string, failure: MailFailure | null, total: DeliveryResult): Promise<boolean> {
    if (failure === null) {
      const kept = await this.markSent(row.id, token);
      if (kept) total.sent += 1;
      return kept;
    }
    const now = this.clock.now();

    const possiblyDelivered = failure.possiblyDelivered ? 1 : 0;
    const possiblyDeliveredCount = row.possibly_delivered_count + possiblyDelivered;
    const error = failure.possiblyDelivered
      ? `Kan ha levererats: förbindelsen bröts efter att hela meddelandet skickats, innan servern svarade (${failure.message})`
      : failure.message;
    const ending = this.endingOf(row, failure, error, possiblyDeliveredCount);
    if (ending === null) {
      const updated = await this.dataSource.query<[unknown[], number]>(
        `UPDATE outbox_message
            SET state = 'pending', next_attempt_at = $3, last_error = $4, lease_until = NULL, claim_token = NULL,
                possibly_delivered_count = possibly_delivered_count + $5,
                possibly_delivered_at = CASE WHEN $5 > 0 THEN $6 ELSE possibly_delivered_at END
          WHERE id = $1 AND claim_token = $2`,
        [row.id, token, new Date(now.getTime() + backoffMs(row.attempts)), error, possiblyDelivered, now],
      );
      if (updated[1] === 0) return false;
      total.retried += 1;
      this.logger.warn(`Utskick ${row.id} försöks igen senare: ${error}`);
      return true;
    }

    const kept = await this.dataSource.transaction(async (manager) => {
      const updated = await manager.query<[unknown[], number]>(
        `UPDATE outbox_message
            SET state = $3, last_error = $4, lease_until = NULL, claim_token = NULL,
                possibly_delivered_count = possibly_delivered_count + $5,
                possibly_delivered_at = CASE WHEN $5 > 0 THEN $6 ELSE possibly_delivered_at END
          WHERE id = $1 AND claim_token = $2`,
        [row.id, token, ending.state, ending.error, possiblyDelivered, now],
      );
      if (updated[1] === 0) return false;
      await this.reportEnding(manager, row, ending, possiblyDeliveredCount, now);
      return true;
    });
    if (kept) total.failed += 1;
    return kept;
  }

  /**
   * Group commit for 'sent': an outcome waits only for the write in progress, then goes with every
   * other outcome that arrived meanwhile in one UPDATE. Each row still needs its own claim token.
   */
  private markSent(id: string, token: string): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.sentQueue.push({ id, token, resolve, reject });
      this.flushingSent ??= this.flushSent();
    });
  }

  private async flushSent(): Promise<void> {
    while (this.sentQueue.length > 0) {
      const batch = this.sentQueue.splice(0);
      try {
        const [rows] = await this.dataSource.query<[Array<{ id: string }>, number]>(
          `UPDATE outbox_message m SET state = 'sent', sent_at = $3, lease_until = NULL, claim_token = NULL
             FROM unnest($1::bigint[], $2::uuid[]) AS u(id, token)
            WHERE m.id = u.id AND m.claim_token = u.token
        RETURNING m.id`,
          [batch.map((e) => e.id), batch.map((e) => e.token), this.clock.now()],
        );
        const kept = new Set(rows.map((r) => String(r.id)));
        for (const e of batch) e.resolve(kept.has(e.id));
      } catch (error) {
        for (const e of batch) e.reject(error);
      }
    }
    this.flushingSent = null;
  }

  /** Null: try again later. Otherwise how the message ends. */
  private endingOf(row: ClaimedRow, failure: MailFailure, error: string, possiblyDeliveredCount: number): Ending | null {
    if (possiblyDeliveredCount >= MAX_POSSIBLY_DELIVERED) {
      return { state: 'possibly_delivered', error: `${error} — ${possiblyDeliveredCount} gånger, skickas inte igen`, possiblyDelivered: true };
    }
    if (failure.permanent) return { state: 'failed', error, possiblyDelivered: possiblyDeliveredCount > 0 };
    if (row.attempts >= MAX_ATTEMPTS) return { state: 'failed', error: `Gav upp efter ${row.attempts} försök: ${error}`, possiblyDelivered: possiblyDeliveredCount > 0 };
    return null;
  }

  /** One incident for the row and, unless the row is itself a report, one report to the secretariat (its idempotency key keeps it to one). */
  private async reportEnding(manager: EntityManager, row: ClaimedRow, ending: Ending, possiblyDeliveredCount: number, now: Date): Promise<void> {
    const to = row.recipient_name ? `${row.recipient_name} <${row.recipient}>` : row.recipient;
    await recordIncident(
      manager,
      {
        source: 'outbox',
        rowId: row.id,
        case: caseOf(row),
        summary: `${ending.possiblyDelivered ? 'E-post som kan ha levererats' : 'E-post som inte levererades'} till ${to}: ${row.subject}`,
        error: ending.error,
        attempts: row.attempts,
        possiblyDelivered: ending.possiblyDelivered,
      },
      now,
    );
    this.logger.warn(`Utskick ${row.id} till ${row.recipient} ${ending.possiblyDelivered ? 'kan ha levererats och skickas inte igen' : 'kunde inte levereras'}: ${ending.error}`);
    // A report that cannot be delivered is not reported again: no loops.
    if (row.kind === DELIVERY_FAILURE_KIND) return;
    await enqueueMessage(manager, this.failureReport(row, row.attempts, ending, possiblyDeliveredCount), now, senderDomain(this.config.mailFrom));
  }

  private failureReport(row: ClaimedRow, attempts: number, ending: Ending, possiblyDeliveredCount: number) {
    const error = ending.error;
    const base = this.config.publicBaseUrl;
    const to = row.recipient_name ? `${row.recipient_name} <${row.recipient}>` : row.recipient;
    const lines: Array<[string, string]> = [
      ['Mottagare', to],
      ['Ämne', row.subject],
      ['Typ', row.kind],
      ['Utskick', `#${row.id}`],
      ['Försök', String(attempts)],
      ...(possiblyDeliveredCount > 0 ? ([['Kan ha levererats', `${possiblyDeliveredCount} gång${possiblyDeliveredCount === 1 ? '' : 'er'}`]] as Array<[string, string]>) : []),
      [ending.possiblyDelivered ? 'Vad som hände' : 'Serverns svar', error],
    ];
    const links: Array<[string, string]> = [
      // The agreement's page lists its messages with their delivery status; the incidents page every failed one.
      ...(row.case_type === 'agreement' && row.case_id ? ([['Överenskommelsen och dess utskick', agreementPageUrl(base, row.case_id)]] as Array<[string, string]>) : []),
      ['Alla misslyckade utskick (incidenter)', `${base}/administration/incidenter`],
      ['Brevlådan', `${base}${MAILBOX_PATH}`],
    ];
    const intro = ending.possiblyDelivered
      ? 'Ett e-postmeddelande från IOP-motorn kan ha levererats, men e-postservern bekräftade det aldrig: förbindelsen bröts efter att hela meddelandet skickats. Det skickas inte igen automatiskt.'
      : 'Ett e-postmeddelande från IOP-motorn kunde inte levereras och skickas inte igen.';
    const outro = ending.possiblyDelivered
      ? 'Fråga mottagaren om meddelandet kom fram innan det skickas på annat sätt, så att det inte kommer dubbelt.'
      : 'Kontrollera adressen och nå mottagaren på annat sätt om meddelandet behövs.';
    return {
      idempotencyKey: `delivery-failure:${row.id}`,
      case: caseOf(row),
      kind: DELIVERY_FAILURE_KIND,
      recipient: this.config.secretariatEmail,
      recipientName: 'Nämndkansliet',
      subject: `${ending.possiblyDelivered ? 'Utskick kan ha levererats' : 'Utskick kunde inte levereras'}: ${row.subject}`,
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
