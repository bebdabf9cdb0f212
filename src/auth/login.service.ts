import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { verifyAgainstDummy, verifyPassword } from './passwords';
import { SessionsService, type NewSession } from './sessions.service';

/** The same answer for an unknown e-mail and a wrong password: it must not tell which part was wrong. */
export const WRONG_CREDENTIALS = 'Fel e-postadress eller lösenord.';
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Failures within the window after which one address is refused for one account. */
export const MAX_ACCOUNT_FAILURES = 5;
/** Failures within the window after which an address is refused (across accounts). */
export const MAX_ADDRESS_FAILURES = 20;
/** A lock lasts the window, doubling each time it is earned again, up to a day. */
export const MAX_LOCK_MS = 24 * 3600_000;
/** A source quiet this long starts again from the shortest lock. */
const LOCK_LEVEL_FORGOTTEN_MS = 24 * 3600_000;
/** Now and then a login clears counters nobody needs any more (one row per address and pair tried). */
const PRUNE_CHANCE = 0.01;

export interface LoginInput {
  email: string;
  password: string;
  /** Client address of the request (Express's req.ip, which honours TRUST_PROXY). */
  address: string;
  /** A session cookie sent with the login request: revoked whatever happens (no fixation). */
  presentedSessionSecret?: string;
}

/** The client's address as Express sees it: the socket's, or with TRUST_PROXY the one the trusted proxies forwarded. */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'okänd';
}

interface Reservation {
  allowed: boolean;
  locked_until: Date | null;
}

/**
 * Local accounts: checks the password, limits attempts, opens a new session.
 *
 * Limits are per (account, address) and per address, never per account alone: an outsider can
 * then only lock themselves out, not the account's owner (or the only administrator). Each attempt
 * is reserved, as a failure, by one upsert before the password is checked; the row lock the upsert
 * takes makes concurrent attempts queue, so at most the limit are ever checked. A success gives
 * the reservation back.
 */
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
    const pairKey = `pair:${email}|${input.address}`;
    const addressKey = `address:${input.address}`;
    if (Math.random() < PRUNE_CHANCE) await this.prune();
    await this.reserve(pairKey, MAX_ACCOUNT_FAILURES);
    try {
      await this.reserve(addressKey, MAX_ADDRESS_FAILURES);
    } catch (error) {
      await this.giveBack(pairKey, false);
      throw error;
    }

    const [account] = await this.dataSource.query<Array<{ person_id: string; password_hash: string | null }>>(
      `SELECT a.person_id, a.password_hash FROM account a JOIN person p ON p.id = a.person_id
        WHERE lower(p.email) = $1 AND a.disabled_at IS NULL ORDER BY (p.email = $1) DESC LIMIT 1`,
      [email],
    );
    const ok = account ? await verifyPassword(account.password_hash, input.password) : await verifyAgainstDummy(input.password);
    if (!account || !ok) throw new DomainError('unauthenticated', WRONG_CREDENTIALS);
    await this.giveBack(pairKey, true);
    await this.giveBack(addressKey, false);
    const session = await this.sessions.create(account.person_id);
    return { ...session, personId: account.person_id };
  }

  /** Retention: deletes throttle counters untouched since `before` and not locked, in batches; returns how many. */
  async pruneAttempts(before: Date, batchSize = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.dataSource.query<Array<{ key: string }>>(
        `WITH gone AS (DELETE FROM login_throttle WHERE key IN (
           SELECT key FROM login_throttle WHERE last_attempt_at < $1 AND (locked_until IS NULL OR locked_until < $1)
            LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING key) SELECT key FROM gone`,
        [before, batchSize],
      );
      total += rows.length;
      if (rows.length < batchSize) return total;
    }
  }

  /**
   * Counts one attempt for `key` in a single statement, or refuses it (429) while the key is locked.
   * The attempt that would exceed `limit` is not counted but earns a lock of the window × 2^level.
   */
  private async reserve(key: string, limit: number): Promise<void> {
    const now = this.clock.now();
    const [row] = await this.dataSource.query<Reservation[]>(
      `WITH up AS (
         INSERT INTO login_throttle AS t (key, failures, window_started_at, lock_level, locked_until, last_attempt_at)
         VALUES ($1, 1, $2::timestamptz, 0, NULL, $2::timestamptz)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE
             WHEN t.locked_until > $2 THEN t.failures
             WHEN t.window_started_at <= $2 - $3::float8 * interval '1 millisecond' THEN 1
             WHEN t.failures >= $4::int THEN t.failures
             ELSE t.failures + 1 END,
           window_started_at = CASE
             WHEN t.locked_until > $2 THEN t.window_started_at
             WHEN t.window_started_at <= $2 - $3::float8 * interval '1 millisecond' THEN $2
             ELSE t.window_started_at END,
           lock_level = CASE
             WHEN t.locked_until > $2 THEN t.lock_level
             WHEN t.last_attempt_at <= $2 - $6::float8 * interval '1 millisecond' THEN 0
             WHEN t.window_started_at > $2 - $3::float8 * interval '1 millisecond' AND t.failures >= $4::int THEN t.lock_level + 1
             ELSE t.lock_level END,
           locked_until = CASE
             WHEN t.locked_until > $2 THEN t.locked_until
             WHEN t.window_started_at > $2 - $3::float8 * interval '1 millisecond' AND t.failures >= $4::int
               THEN $2 + least($3::float8 * power(2::float8, CASE WHEN t.last_attempt_at <= $2 - $6::float8 * interval '1 millisecond' THEN 0 ELSE t.lock_level END), $5::float8) * interval '1 millisecond'
             ELSE NULL END,
           last_attempt_at = $2
         RETURNING t.locked_until)
       SELECT locked_until, (locked_until IS NULL OR locked_until <= $2::timestamptz) AS allowed FROM up`,
      [key, now, LOGIN_WINDOW_MS, limit, MAX_LOCK_MS, LOCK_LEVEL_FORGOTTEN_MS],
    );
    if (row.allowed) return;
    const retryAfterSeconds = Math.max(1, Math.ceil((new Date(row.locked_until as Date).getTime() - now.getTime()) / 1000));
    const minutes = Math.ceil(retryAfterSeconds / 60);
    throw new DomainError('rate_limited', `För många misslyckade inloggningsförsök. Försök igen om ${minutes} ${minutes === 1 ? 'minut' : 'minuter'}.`, {
      retryAfterSeconds,
    });
  }

  /** Counters quiet for longer than a lock level is remembered, and not locked: they would start from zero anyway. */
  private async prune(): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.query(`DELETE FROM login_throttle WHERE last_attempt_at < $1 AND (locked_until IS NULL OR locked_until < $2)`, [
      new Date(now.getTime() - LOCK_LEVEL_FORGOTTEN_MS),
      now,
    ]);
  }

  /** Returns a reservation that was not a failure; `forgive` (a correct password for this pair) also clears its history. */
  private async giveBack(key: string, forgive: boolean): Promise<void> {
    await this.dataSource.query(
      forgive
        ? `UPDATE login_throttle SET failures = 0, lock_level = 0, locked_until = NULL WHERE key = $1`
        : `UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = $1`,
      [key],
    );
  }
}
