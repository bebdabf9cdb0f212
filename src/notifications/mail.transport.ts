import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { AppConfig } from '@app/config/app-config';

/**
 * The one file that imports nodemailer. With SMTP_URL mail leaves over a pooled SMTP
 * transport; without it every message becomes an .eml file in `${DATA_DIR}/mail/`
 * (the local mailbox, readable at GET /mailbox), so the service runs offline.
 */

/** One message as the outbox hands it over. */
export interface MailToSend {
  /** The outbox row id; names the mailbox file. */
  outboxId: string;
  /** `<…@…>`, stable per idempotency key. */
  messageId: string;
  to: string;
  toName?: string | null;
  subject: string;
  text: string;
  html: string;
  /** A VCALENDAR, attached as deadline.ics. */
  ics?: string | null;
  /** Date header (the injected clock's now). */
  date: Date;
}

export const ICS_CONTENT_TYPE = 'text/calendar; method=PUBLISH; charset=utf-8';
export const ICS_FILENAME = 'deadline.ics';

/** Where the local mailbox lives. */
export function mailboxDir(config: Pick<AppConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'mail');
}

/** `12.eml`: the outbox id is the file name, so a resend overwrites instead of duplicating. */
export function mailboxFileName(outboxId: string): string {
  if (!/^\d+$/.test(outboxId)) throw new Error(`Ogiltigt utskicks-id: ${outboxId}`);
  return `${outboxId}.eml`;
}

/** The domain part of the From address (used for Message-IDs). */
export function senderDomain(mailFrom: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(mailFrom);
  return match ? match[1].toLowerCase() : 'localhost';
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);
const CONNECTION_TIMEOUT_MS = 15_000;

type SocketCallback = (err: Error | null, socketOptions: { connection: net.Socket } | false) => void;

/**
 * Opens the TCP connection for the pool with Nagle's algorithm off. nodemailer writes a command
 * or the message's final `.` in small separate writes and then waits for the reply; with Nagle
 * on, each such exchange can stall for a delayed ACK (~40 ms), which caps a connection at ~20
 * messages/s. nodemailer then speaks SMTP (and STARTTLS) over the connected socket as usual.
 * If this connection fails, nodemailer is told to connect on its own (`false`): it then fails
 * the same way and reports it with its own error codes (ECONNECTION …) through the pool, which
 * an error handed back from here would not do.
 */
function noDelaySocket(host: string, port: number): (options: unknown, callback: SocketCallback) => void {
  return (_options, callback) => {
    const socket = net.connect({ host: host.replace(/^\[|\]$/g, ''), port, noDelay: true });
    let settled = false;
    const settle = (connected: boolean): void => {
      if (settled) return;
      settled = true;
      socket.setTimeout(0);
      if (connected) {
        callback(null, { connection: socket });
      } else {
        socket.destroy();
        callback(null, false);
      }
    };
    // Stays attached: nodemailer adds its own handlers; this one only keeps a late error from being unhandled.
    socket.on('error', () => settle(false));
    socket.once('connect', () => settle(true));
    socket.setTimeout(CONNECTION_TIMEOUT_MS, () => settle(false));
  };
}

/**
 * Pooled SMTP options from `smtp://user:pass@host:port` or `smtps://…`. smtps means implicit TLS
 * (default port 465). Plain smtp upgrades with STARTTLS when offered, except on a loopback host
 * (a local relay or test sink) or with `?ignoreTLS=true`; `?requireTLS=true` insists on it.
 */
export function smtpPoolOptions(smtpUrl: string, maxConnections: number): SMTPPool.Options {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const flag = (name: string): boolean => ['1', 'true', 'yes'].includes((url.searchParams.get(name) ?? '').toLowerCase());
  const host = url.hostname;
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  return {
    pool: true,
    maxConnections,
    // Per-connection message cap before it is recycled; a local sink and a relay both cope with many.
    maxMessages: 1000,
    host,
    port,
    secure,
    // Plain connections (STARTTLS included) get a no-delay socket; implicit TLS keeps nodemailer's own.
    getSocket: secure ? undefined : noDelaySocket(host, port),
    ignoreTLS: !secure && !flag('requireTLS') && (flag('ignoreTLS') || LOOPBACK.has(host)),
    requireTLS: !secure && flag('requireTLS'),
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // The outbox retries; a silent resend inside the pool after a dropped connection could be a duplicate nobody counted.
    maxRequeues: 0,
    // Fail fast instead of nodemailer's 2-minute default; the whole message is also bounded by OUTBOX_SEND_TIMEOUT_MS.
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  };
}

/** What the sender needs to know about a failed attempt. */
export interface MailFailure {
  /** 5xx: the server refused for good; anything else is tried again later. */
  permanent: boolean;
  /**
   * The whole message had gone out over the connection and no reply came (connection lost, timeout):
   * the server may have accepted it. False whenever the server answered, or the message never went out.
   */
  possiblyDelivered: boolean;
  /** Human-readable, including the server's reply when there is one. */
  message: string;
}

interface NodemailerError {
  message?: unknown;
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
}

/** Network and protocol codes that say "not now" (nodemailer's own and Node's socket errors). */
const TEMPORARY_CODES = new Set(['EABORT', 'ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ETLS', 'EPROTOCOL']);

/**
 * SMTP 5xx is permanent, 4xx and connection trouble are temporary. Anything unknown (a full
 * disk for the mailbox, a bug) is treated as temporary: retrying with backoff loses nothing,
 * and the sender gives up after a bounded number of attempts.
 */
export function classifyMailError(error: unknown): MailFailure {
  const handedOver = error instanceof MailSendError && error.handedOver;
  const cause = error instanceof MailSendError ? error.cause : error;
  const e = (typeof cause === 'object' && cause !== null ? cause : {}) as NodemailerError;
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(cause);
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  if (responseCode !== undefined && responseCode >= 500 && responseCode < 600) return { permanent: true, possiblyDelivered: false, message };
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500) return { permanent: false, possiblyDelivered: false, message };
  // No reply at all: if the message had gone out, only the server knows whether it kept it.
  const possiblyDelivered = handedOver;
  if (e.code === 'EABORT') return { permanent: false, possiblyDelivered, message: `EABORT: tidsgränsen för utskicket passerades (${message})` };
  if (typeof e.code === 'string' && TEMPORARY_CODES.has(e.code)) return { permanent: false, possiblyDelivered, message: `${e.code}: ${message}` };
  return { permanent: false, possiblyDelivered, message };
}

/** A failed SMTP send, and whether the whole message had been handed to the connection before it failed. */
export class MailSendError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly handedOver: boolean,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'MailSendError';
  }
}

interface SendTracker {
  handedOver: boolean;
}

@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger('Utskick');
  private readonly smtp: Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options> | null;
  private readonly builder: Transporter | null;
  private readonly dir: string;
  /** Messages on their way over SMTP, by Message-ID. */
  private readonly inFlight = new Map<string, SendTracker>();

  constructor(private readonly config: AppConfig) {
    this.dir = mailboxDir(config);
    if (config.smtpUrl) {
      this.smtp = nodemailer.createTransport(smtpPoolOptions(config.smtpUrl, config.smtpMaxConnections));
      // The compiled message passes through a stream of ours last: when it has been read to the end,
      // nodemailer has written all of it and the end-of-data dot to the connection. A failure without a
      // reply after that point may be a delivered message (nodemailer's errors do not tell: 'CONN' either way).
      this.smtp.use('stream', (mail, done) => {
        const tracker = this.inFlight.get(String(mail.data.messageId));
        if (tracker) {
          mail.message.processFunc((input: Readable) => {
            const through = new PassThrough();
            through.once('end', () => {
              tracker.handedOver = true;
            });
            return pipeline(input, through, () => undefined);
          });
        }
        done();
      });
      this.builder = null;
    } else {
      this.smtp = null;
      this.builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    }
  }

  /** 'smtp' with SMTP_URL, else 'mailbox' (files under DATA_DIR/mail). */
  get mode(): 'smtp' | 'mailbox' {
    return this.smtp ? 'smtp' : 'mailbox';
  }

  /**
   * Resolves when the server accepted the message (or the file is in place). Over SMTP it rejects with a
   * MailSendError around nodemailer's error, within OUTBOX_SEND_TIMEOUT_MS (waiting for a free pooled
   * connection included); in mailbox mode with the file system's error.
   */
  async send(mail: MailToSend): Promise<void> {
    const options = this.optionsFor(mail);
    if (this.smtp) {
      const tracker: SendTracker = { handedOver: false };
      this.inFlight.set(mail.messageId, tracker);
      try {
        await this.smtp.sendMail({ ...options, signal: AbortSignal.timeout(this.config.outboxSendTimeoutMs) });
      } catch (error) {
        throw new MailSendError(error, tracker.handedOver);
      } finally {
        if (this.inFlight.get(mail.messageId) === tracker) this.inFlight.delete(mail.messageId);
      }
      return;
    }
    const built = (await this.builder!.sendMail(options)) as { message: Buffer };
    await this.writeAtomically(mailboxFileName(mail.outboxId), built.message);
  }

  onApplicationShutdown(): void {
    this.smtp?.close();
    this.builder?.close();
  }

  private optionsFor(mail: MailToSend): SendMailOptions {
    return {
      from: this.config.mailFrom,
      to: mail.toName ? { name: mail.toName, address: mail.to } : mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      date: mail.date,
      attachments: mail.ics ? [{ filename: ICS_FILENAME, content: mail.ics, contentType: ICS_CONTENT_TYPE }] : [],
    };
  }

  /** Temp file in the same directory, then rename: a reader never sees half a message. */
  private async writeAtomically(fileName: string, content: Buffer): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const target = path.join(this.dir, fileName);
    const temp = path.join(this.dir, `.${fileName}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await fs.writeFile(temp, content);
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      this.logger.warn(`Kunde inte skriva ${target}: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }
}
