import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ClockService } from '@app/clock/clock.service';
import { AppConfig } from '@app/config/app-config';
import { newSecret, sha256Hex } from './secrets';

/** Don't write last_seen_at on every request; a minute's precision is plenty for an idle timeout. */
const TOUCH_AFTER_MS = 60_000;

export interface NewSession {
  /** Goes into the cookie; never stored. */
  secret: string;
  id: string;
  expiresAt: Date;
}

/** Sign-in sessions in PostgreSQL, so every instance sees a login and a logout at once. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
  ) {}

  /** `signedInWith`: how the person proved who they are, in words a signature page shows ('Lösenord', 'OpenID Connect (https://idp…)'). */
  async create(personId: string, signedInWith = 'Lösenord'): Promise<NewSession> {
    const secret = newSecret();
    const id = sha256Hex(secret);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlHours * 3600_000);
    await this.dataSource.query(`INSERT INTO session (id, person_id, created_at, last_seen_at, expires_at, signed_in_with) VALUES ($1, $2, $3, $3, $4, $5)`, [id, personId, now, expiresAt, signedInWith]);
    return { secret, id, expiresAt };
  }

  /** How a session's person signed in (null for sessions from before this was recorded). */
  async signedInWith(sessionId: string): Promise<string | null> {
    const [row] = await this.dataSource.query<Array<{ signed_in_with: string | null }>>(`SELECT signed_in_with FROM session WHERE id = $1`, [sessionId]);
    return row?.signed_in_with ?? null;
  }

  /** The person of a live session (not revoked, not expired, not idle too long, account enabled), else null. */
  async personOf(secret: string): Promise<{ sessionId: string; personId: string } | null> {
    const id = sha256Hex(secret);
    const now = this.clock.now();
    const idleSince = new Date(now.getTime() - this.config.sessionIdleMinutes * 60_000);
    const [row] = await this.dataSource.query<Array<{ person_id: string; last_seen_at: Date }>>(
      `SELECT s.person_id, s.last_seen_at FROM session s JOIN account a ON a.person_id = s.person_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND s.last_seen_at > $3 AND a.disabled_at IS NULL`,
      [id, now, idleSince],
    );
    if (!row) return null;
    if (now.getTime() - new Date(row.last_seen_at).getTime() > TOUCH_AFTER_MS) {
      await this.dataSource.query(`UPDATE session SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2`, [id, now]);
    }
    return { sessionId: id, personId: row.person_id };
  }

  /** Revokes the session a secret names, whoever it belongs to (used at login against fixation). */
  async revokeSecret(secret: string): Promise<void> {
    await this.revoke(sha256Hex(secret));
  }

  async revoke(sessionId: string): Promise<void> {
    await this.dataSource.query(`UPDATE session SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [sessionId, this.clock.now()]);
  }

  /**
   * Retention: deletes sessions that expired or were revoked before `before`, at most `batchSize`
   * rows per statement (short locks), until none is left. Returns how many were deleted.
   */
  async pruneDead(before: Date, batchSize = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.dataSource.query<Array<{ id: string }>>(
        `WITH gone AS (DELETE FROM session WHERE id IN (
           SELECT id FROM session WHERE expires_at <= $1 OR revoked_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING id) SELECT id FROM gone`,
        [before, batchSize],
      );
      total += rows.length;
      if (rows.length < batchSize) return total;
    }
  }

  /** Logout everywhere (also on a password reset and on disabling): every live session of the account. Returns how many were ended. */
  async revokeAll(personId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows = await manager.query<Array<{ id: string }>>(
      `WITH ended AS (UPDATE session SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL RETURNING id) SELECT id FROM ended`,
      [personId, this.clock.now()],
    );
    return rows.length;
  }
}
