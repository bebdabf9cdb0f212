import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { verifyAgainstDummy, verifyPassword } from './passwords';
import { SessionsService, type NewSession } from './sessions.service';

/** The same answer for an unknown e-mail and a wrong password: it must not tell which part was wrong. */
export const WRONG_CREDENTIALS = 'Fel e-postadress eller lösenord.';
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Failures within the window after which further attempts are refused (per account since its last success). */
export const MAX_ACCOUNT_FAILURES = 5;
/** Failures within the window after which an address is refused (across accounts). */
export const MAX_ADDRESS_FAILURES = 20;

export interface LoginInput {
  email: string;
  password: string;
  /** Remote address of the request, for the per-address limit. */
  address: string;
  /** A session cookie sent with the login request: revoked whatever happens (no fixation). */
  presentedSessionSecret?: string;
}

/** Local accounts: checks the password, limits attempts, opens a new session. */
@Injectable()
export class LoginService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly sessions: SessionsService,
  ) {}

  async login(input: LoginInput): Promise<NewSession & { personId: string }> {
    if (input.presentedSessionSecret) await this.sessions.revokeSecret(input.presentedSessionSecret);
    const email = input.email.trim().toLowerCase();
    const accountKey = `account:${email}`;
    const addressKey = `address:${input.address}`;
    await this.refuseIfLimited(accountKey, MAX_ACCOUNT_FAILURES, true);
    await this.refuseIfLimited(addressKey, MAX_ADDRESS_FAILURES, false);

    const [account] = await this.dataSource.query<Array<{ person_id: string; password_hash: string | null }>>(
      `SELECT a.person_id, a.password_hash FROM account a JOIN person p ON p.id = a.person_id
        WHERE lower(p.email) = $1 AND a.disabled_at IS NULL ORDER BY (p.email = $1) DESC LIMIT 1`,
      [email],
    );
    const ok = account ? await verifyPassword(account.password_hash, input.password) : await verifyAgainstDummy(input.password);
    await this.record([accountKey, addressKey], ok);
    if (!account || !ok) throw new DomainError('unauthenticated', WRONG_CREDENTIALS);
    const session = await this.sessions.create(account.person_id);
    return { ...session, personId: account.person_id };
  }

  /** Retention: deletes login attempts made before `before`, in batches of `batchSize`; returns how many. */
  async pruneAttempts(before: Date, batchSize = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.dataSource.query<Array<{ id: string }>>(
        `WITH gone AS (DELETE FROM login_attempt WHERE id IN (
           SELECT id FROM login_attempt WHERE attempted_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING id) SELECT id FROM gone`,
        [before, batchSize],
      );
      total += rows.length;
      if (rows.length < batchSize) return total;
    }
  }

  private async record(keys: string[], succeeded: boolean): Promise<void> {
    const now = this.clock.now();
    for (const key of keys) {
      await this.dataSource.query(`INSERT INTO login_attempt (key, attempted_at, succeeded) VALUES ($1, $2, $3)`, [key, now, succeeded]);
    }
  }

  /**
   * 429 with Retry-After once `limit` failures lie within the window (for an account: counted from
   * its last successful login). Refused attempts are not recorded, so the lock ends when the
   * oldest counted failure leaves the window.
   */
  private async refuseIfLimited(key: string, limit: number, resetOnSuccess: boolean): Promise<void> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
    const failures = await this.dataSource.query<Array<{ attempted_at: Date }>>(
      `SELECT attempted_at FROM login_attempt
        WHERE key = $1 AND NOT succeeded AND attempted_at > $2 AND attempted_at <= $3
          AND ($5::boolean IS FALSE OR attempted_at > coalesce(
            (SELECT max(attempted_at) FROM login_attempt WHERE key = $1 AND succeeded AND attempted_at > $2), '-infinity'))
        ORDER BY attempted_at DESC LIMIT $4`,
      [key, since, now, limit, resetOnSuccess],
    );
    if (failures.length < limit) return;
    const oldest = new Date((failures[limit - 1]).attempted_at).getTime();
    const retryAfterSeconds = Math.max(1, Math.ceil((oldest + LOGIN_WINDOW_MS - now.getTime()) / 1000));
    const minutes = Math.ceil(retryAfterSeconds / 60);
    throw new DomainError('rate_limited', `För många misslyckade inloggningsförsök. Försök igen om ${minutes} ${minutes === 1 ? 'minut' : 'minuter'}.`, {
      retryAfterSeconds,
    });
  }
}
