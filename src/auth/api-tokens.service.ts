import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ClockService } from '@app/clock/clock.service';
import { AppConfig } from '@app/config/app-config';
import { DomainError } from '@app/common/domain-error';
import { API_TOKEN_PREFIX, newSecret, sha256Hex } from './secrets';

export interface ApiTokenView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  expiresAt: string;
}

export interface IssuedApiToken extends ApiTokenView {
  /** Shown once, at creation; only its SHA-256 is stored. */
  token: string;
}

interface TokenRow {
  id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);
const view = (r: TokenRow): ApiTokenView => ({ id: r.id, name: r.name, createdAt: new Date(r.created_at).toISOString(), lastUsedAt: iso(r.last_used_at), revokedAt: iso(r.revoked_at), expiresAt: new Date(r.expires_at).toISOString() });

/**
 * Tokens for integrations: `Authorization: Bearer iop_…` acts as the person who created it, until
 * it expires (API_TOKEN_TTL_DAYS, or sooner if asked) or is revoked: by its owner, by logging out
 * everywhere, by a password reset or by disabling the account.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
  ) {}

  /** `expiresInDays` may shorten the configured lifetime, never lengthen it. */
  async issue(personId: string, name: string, expiresInDays?: number): Promise<IssuedApiToken> {
    const days = expiresInDays ?? this.config.apiTokenTtlDays;
    if (days > this.config.apiTokenTtlDays) {
      throw DomainError.validation([{ field: 'expiresInDays', message: `En API-token får gälla högst ${this.config.apiTokenTtlDays} dagar.` }]);
    }
    const token = `${API_TOKEN_PREFIX}${newSecret()}`;
    const now = this.clock.now();
    const [row] = await this.dataSource.query<TokenRow[]>(
      `INSERT INTO api_token (person_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, name, created_at, last_used_at, revoked_at, expires_at`,
      [personId, name, sha256Hex(token), now, new Date(now.getTime() + days * 86_400_000)],
    );
    return { ...view(row), token };
  }

  async list(personId: string): Promise<ApiTokenView[]> {
    const rows = await this.dataSource.query<TokenRow[]>(
      `SELECT id, name, created_at, last_used_at, revoked_at, expires_at FROM api_token WHERE person_id = $1 ORDER BY created_at, id`,
      [personId],
    );
    return rows.map(view);
  }

  /** Only the owner's own tokens; another's gets the same answer as one that does not exist. */
  async revoke(personId: string, id: string): Promise<void> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      // A CTE, because TypeORM answers a bare UPDATE … RETURNING with [rows, count].
      `WITH revoked AS (UPDATE api_token SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND person_id = $2 RETURNING id) SELECT id FROM revoked`,
      [id, personId, this.clock.now()],
    );
    if (rows.length === 0) throw DomainError.notFound('Token');
  }

  /** Every live token of the account; returns how many were ended. */
  async revokeAll(personId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows = await manager.query<Array<{ id: string }>>(
      `WITH revoked AS (UPDATE api_token SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL RETURNING id) SELECT id FROM revoked`,
      [personId, this.clock.now()],
    );
    return rows.length;
  }

  /** The person a live token acts as (not revoked, not expired, account enabled), else null. */
  async personOf(token: string): Promise<{ tokenId: string; personId: string } | null> {
    const [row] = await this.dataSource.query<Array<{ id: string; person_id: string }>>(
      `WITH used AS (
         UPDATE api_token t SET last_used_at = $2 FROM account a
          WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND a.person_id = t.person_id AND a.disabled_at IS NULL
          RETURNING t.id, t.person_id)
       SELECT id, person_id FROM used`,
      [sha256Hex(token), this.clock.now()],
    );
    return row ? { tokenId: row.id, personId: row.person_id } : null;
  }
}
