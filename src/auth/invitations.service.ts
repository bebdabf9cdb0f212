import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/audit/actor';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { AppConfig } from '@app/config/app-config';
import { senderDomain } from '@app/notifications/mail.transport';
import { enqueueMessage } from '@app/notifications/outbox.repository';
import { AGREEMENT_TIME_ZONE } from '@workflows/calendar/calendar';
import { AccountsService } from './accounts.service';
import { invitationMail } from './invitation-mail';

/** How long an invitation's link works. */
export const INVITATION_HOURS = 72;

/** Why a link cannot be used: unknown, already used (or replaced by a newer one), or past its time. */
export type InvitationRefusal = 'unknown' | 'used' | 'expired';

/** A link that can still be used: whom it is for. */
export interface OpenInvitation {
  personId: string;
  name: string;
  email: string;
  expiresAt: Date;
}

/** The link's end as Stockholm wall time, 2026-12-04 20:09. */
const STOCKHOLM = new Intl.DateTimeFormat('sv-SE', { timeZone: AGREEMENT_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

const hashOf = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** A link's token as the URL carries it: 32 random bytes, base64url. Anything else is no token of ours. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

interface InvitationRow {
  id: string;
  person_id: string;
  name: string;
  email: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/**
 * Account invitations (table account_invitation, which this file alone queries): a one-time link to
 * choose a password, e-mailed through the outbox in the transaction that writes the invitation, so a
 * crash neither loses nor doubles the e-mail. Only the token's SHA-256 is stored; a newer invitation
 * replaces the person's open ones; using one sets the password and marks it used in one transaction.
 */
@Injectable()
export class InvitationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
    private readonly accounts: AccountsService,
  ) {}

  /** Invites the person (who has an account) to choose a password; returns when the link stops working. */
  async invite(personId: string, by: Actor): Promise<{ expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + INVITATION_HOURS * 3_600_000);
    await this.dataSource.transaction(async (manager) => {
      const [person] = await manager.query<Array<{ name: string; email: string }>>(
        `SELECT p.name, p.email FROM account a JOIN person p ON p.id = a.person_id WHERE a.person_id = $1 FOR UPDATE OF a`,
        [personId],
      );
      if (!person) throw DomainError.notFound('Kontot');
      await manager.query(`UPDATE account_invitation SET revoked_at = $2 WHERE person_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [personId, now]);
      const [row] = await manager.query<Array<{ id: string }>>(
        `INSERT INTO account_invitation (person_id, token_hash, created_at, expires_at, invited_by_person_id, invited_by_name)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [personId, hashOf(token), now, expiresAt, by.personId, by.name],
      );
      const mail = invitationMail({
        name: person.name,
        link: `${this.config.publicBaseUrl}/konto/losenord?token=${token}`,
        expiresAt: STOCKHOLM.format(expiresAt).replace(',', ''),
        invitedBy: by.name,
      });
      // One message per invitation: written again (a retried transaction), it is not written twice.
      await enqueueMessage(manager, { idempotencyKey: `invitation:${row.id}`, case: null, kind: 'invitation', recipient: person.email, recipientName: person.name, ...mail }, now, senderDomain(this.config.mailFrom));
    });
    return { expiresAt };
  }

  /** Whom the link is for, or why it cannot be used. */
  async open(token: string): Promise<OpenInvitation | InvitationRefusal> {
    const row = await this.find(this.dataSource.manager, token, false);
    return typeof row === 'string' ? row : { personId: row.person_id, name: row.name, email: row.email, expiresAt: row.expires_at };
  }

  /**
   * Sets the password the person chose, under the password policy, and uses the link up, in one
   * transaction (two tabs sending the form at once: one sets it, the other is told the link is used).
   */
  async accept(token: string, password: string): Promise<{ email: string } | InvitationRefusal> {
    const found = await this.open(token);
    if (typeof found === 'string') return found;
    // The policy (and its 400 naming the field) before the slow hash; hashed outside the transaction.
    const hash = await this.accounts.hashFor(found.personId, password);
    return this.dataSource.transaction(async (manager) => {
      const row = await this.find(manager, token, true);
      if (typeof row === 'string') return row;
      const self: Actor = { personId: row.person_id, name: `${row.name} (med inbjudans länk)`, role: 'system', organisationId: null, organisationName: null, organisationKind: null, roles: [] };
      await this.accounts.writePassword(manager, row.person_id, hash, self);
      await manager.query(`UPDATE account_invitation SET used_at = $2 WHERE id = $1`, [row.id, this.clock.now()]);
      return { email: row.email };
    });
  }

  private async find(manager: EntityManager, token: string, lock: boolean): Promise<InvitationRow | InvitationRefusal> {
    if (!TOKEN.test(token)) return 'unknown';
    const [row] = await manager.query<InvitationRow[]>(
      `SELECT i.id, i.person_id, p.name, p.email, i.expires_at, i.used_at, i.revoked_at
         FROM account_invitation i JOIN person p ON p.id = i.person_id
        WHERE i.token_hash = $1${lock ? ' FOR UPDATE OF i' : ''}`,
      [hashOf(token)],
    );
    if (!row) return 'unknown';
    if (row.used_at || row.revoked_at) return 'used';
    if (row.expires_at.getTime() <= this.clock.now().getTime()) return 'expired';
    return row;
  }
}
