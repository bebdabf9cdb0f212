import { keysetPage, PAGE_SIZE, pageOfArray, type Page, type PageRequest } from '@app/common/paging';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AgreementRepository } from '@app/agreements/agreement.repository';
import { AppConfig } from '@app/config/app-config';
import { DomainError } from '@app/common/domain-error';
import type { Actor } from '@app/audit/actor';
import { OFFICE_ROLES, requireSignedIn } from '@app/auth/access';
import { mailboxDir, mailboxFileName, MailTransport } from './mail.transport';
import { OutboxMessage, type OutboxState } from './outbox-message.entity';

export const OUTBOX_STATE_LABELS: Record<OutboxState, string> = {
  pending: 'Väntar på att skickas',
  sending: 'Skickas',
  sent: 'Skickat',
  failed: 'Kunde inte levereras',
  possibly_delivered: 'Kan ha levererats',
};

export interface NotificationView {
  id: string;
  agreementId: string | null;
  kind: string;
  recipient: string;
  recipientName: string | null;
  subject: string;
  state: OutboxState;
  stateLabel: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
  messageId: string;
  /** Attempts after which the connection was lost once the message had gone out (the server may have kept it). */
  possiblyDeliveredCount: number;
}

export interface MailboxEntry {
  id: string;
  file: string;
  /** Relative download link for the raw message. */
  url: string;
  sizeBytes: number;
  savedAt: string;
  recipient: string | null;
  subject: string | null;
  kind: string | null;
  agreementId: string | null;
}

export interface MailboxListing {
  mode: 'mailbox' | 'smtp';
  description: string;
  messages: MailboxEntry[];
  /** The cursor of the next page (`?after=`), null on the last. */
  next: string | null;
}


function viewOf(m: OutboxMessage): NotificationView {
  return {
    id: m.id,
    agreementId: m.caseType === 'agreement' ? m.caseId : null,
    kind: m.kind,
    recipient: m.recipient,
    recipientName: m.recipientName,
    subject: m.subject,
    state: m.state,
    stateLabel: OUTBOX_STATE_LABELS[m.state],
    attempts: m.attempts,
    lastError: m.lastError,
    createdAt: m.createdAt.toISOString(),
    nextAttemptAt: m.state === 'pending' || m.state === 'sending' ? m.nextAttemptAt.toISOString() : null,
    sentAt: m.sentAt ? m.sentAt.toISOString() : null,
    messageId: m.messageId,
    possiblyDeliveredCount: m.possiblyDeliveredCount,
  };
}

/** The offices read every message, as the API's mailbox lets them; everyone else their own. */
export const mayReadAllMail = (actor: Actor): boolean => actor.roles.some((r) => OFFICE_ROLES.includes(r));

/**
 * Messages that carry a secret (an invitation's one-time link to set a password): their text is
 * for the person they are to and for administrators (who hand the link over where no SMTP server
 * is set), never for the secretariat, who could otherwise give themselves a new account's rights.
 */
const SECRET_KINDS: readonly string[] = ['invitation'];
const maySeeSecret = (actor: Actor): boolean => actor.roles.includes('administrator');

/** Read side of the outbox and the local mailbox. */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly transport: MailTransport,
    private readonly tables: AgreementRepository,
  ) {}

  /** The agreement's messages, oldest first, a page at a time (the id follows the order they were written in). */
  async forAgreement(agreementId: string, page: PageRequest, newestFirst = false): Promise<Page<NotificationView>> {
    if (!(await this.tables.exists(agreementId))) throw DomainError.notFound('Överenskommelsen');
    const qb = this.dataSource.getRepository(OutboxMessage).createQueryBuilder('m').where('m.case_type = :type AND m.case_id = :id', { type: 'agreement', id: agreementId });
    return (await keysetPage(qb, [{ sql: 'm.id', value: (m) => String(m.id), descending: newestFirst }], page)).map(viewOf);
  }

  /** Messages that will not be sent again: refused, given up, or possibly delivered (both need a person to look). Newest first. */
  async failed(page: PageRequest = { limit: PAGE_SIZE.max, after: null }): Promise<Page<NotificationView>> {
    const qb = this.dataSource.getRepository(OutboxMessage).createQueryBuilder('m').where(`m.state IN ('failed', 'possibly_delivered')`);
    return (await keysetPage(qb, [{ sql: 'm.id', value: (m) => String(m.id), descending: true }], page)).map(viewOf);
  }

  /**
   * The outbox as the mailbox page lists it, newest first: every message for the offices (as the
   * API's mailbox), a person's own (to their address) for everyone else.
   */
  async messagesFor(actor: Actor, page: PageRequest): Promise<Page<NotificationView>> {
    const qb = this.dataSource.getRepository(OutboxMessage).createQueryBuilder('m');
    if (!mayReadAllMail(actor)) qb.where('m.recipient = (SELECT lower(p.email) FROM person p WHERE p.id = :personId)', { personId: requireSignedIn(actor) });
    return (await keysetPage(qb, [{ sql: 'm.id', value: (m) => String(m.id), descending: true }], page)).map(viewOf);
  }

  /** One message with its text, by the same rule; another person's is not found, exactly like a missing one. */
  async messageFor(actor: Actor, id: string): Promise<{ message: NotificationView; text: string; pruned: boolean; file: string | null }> {
    const notFound = DomainError.notFound('Meddelandet');
    if (!/^\d{1,18}$/.test(id)) throw notFound;
    const row = await this.dataSource.getRepository(OutboxMessage).findOneBy({ id });
    if (!row) throw notFound;
    if (!mayReadAllMail(actor) || (SECRET_KINDS.includes(row.kind) && !maySeeSecret(actor))) {
      const [me] = await this.dataSource.query<Array<{ email: string }>>(`SELECT lower(email) AS email FROM person WHERE id = $1`, [requireSignedIn(actor)]);
      if (!me || me.email !== row.recipient) throw notFound;
    }
    const file = mailboxFileName(row.id);
    const saved = mayReadAllMail(actor) && (!SECRET_KINDS.includes(row.kind) || maySeeSecret(actor)) && (await fs.stat(path.join(mailboxDir(this.config), file)).catch(() => null)) !== null;
    return { message: viewOf(row), text: row.textBody, pruned: row.textBody === '' && row.state === 'sent', file: saved ? file : null };
  }

  get mode(): 'mailbox' | 'smtp' {
    return this.transport.mode;
  }

  /** The saved messages, newest first, a page at a time: only the page's files are read. */
  async mailbox(page: PageRequest = { limit: PAGE_SIZE.default, after: null }): Promise<MailboxListing> {
    const dir = mailboxDir(this.config);
    const names = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const all = names.map((n) => /^(\d{1,18})\.eml$/.exec(n)?.[1]).filter((id): id is string => id !== undefined);
    // Zero-padded, the ids compare as numbers do.
    const paged = pageOfArray(all, [{ sql: '', value: (id) => id.padStart(18, '0'), descending: true }], page);
    const ids = paged.items;
    const rows = ids.length > 0 ? await this.dataSource.getRepository(OutboxMessage).findBy({ id: In(ids) }) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const entries: MailboxEntry[] = [];
    for (const id of ids) {
      const file = mailboxFileName(id);
      const stat = await fs.stat(path.join(dir, file)).catch(() => null);
      if (!stat) continue;
      const row = byId.get(id);
      entries.push({
        id,
        file,
        url: `/mailbox/${file}`,
        sizeBytes: stat.size,
        savedAt: stat.mtime.toISOString(),
        recipient: row?.recipient ?? null,
        subject: row?.subject ?? null,
        kind: row?.kind ?? null,
        agreementId: row?.caseType === 'agreement' ? row.caseId : null,
      });
    }
    entries.sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0));
    return {
      mode: this.transport.mode,
      description:
        this.transport.mode === 'mailbox'
          ? 'Lokal brevlåda: SMTP_URL är inte satt, så varje utskick sparas som en .eml-fil som kan öppnas i ett e-postprogram.'
          : 'SMTP_URL är satt: utskicken går till e-postservern. Här visas bara meddelanden som sparades lokalt tidigare.',
      messages: entries,
      next: paged.next,
    };
  }

  /** The raw RFC 822 source of one saved message (a secret's only for administrators, see SECRET_KINDS). */
  async mailboxFile(file: string, actor: Actor): Promise<{ name: string; content: Buffer }> {
    const id = /^(\d{1,18})\.eml$/.exec(file)?.[1];
    if (id === undefined) throw DomainError.notFound('Meddelandet');
    const row = await this.dataSource.getRepository(OutboxMessage).findOneBy({ id });
    if (row && SECRET_KINDS.includes(row.kind) && !maySeeSecret(actor)) throw DomainError.notFound('Meddelandet');
    const name = mailboxFileName(id);
    try {
      return { name, content: await fs.readFile(path.join(mailboxDir(this.config), name)) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw DomainError.notFound('Meddelandet');
      throw error;
    }
  }
}
