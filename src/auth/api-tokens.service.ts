import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { API_TOKEN_PREFIX, newSecret, sha256Hex } from './secrets';

export interface ApiTokenView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
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
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);
const view = (r: TokenRow): ApiTokenView => ({ id: r.id, name: r.name, createdAt: new Date(r.created_at).toISOString(), lastUsedAt: iso(r.last_used_at), revokedAt: iso(r.revoked_at) });

/** Tokens for integrations: `Authorization: Bearer iop_…` acts as the person who created it. */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
  ) {}

  async issue(personId: string, name: string): Promise<IssuedApiToken> {
    const token = `${API_TOKEN_PREFIX}${newSecret()}`;
    const [row] = await this.dataSource.query<TokenRow[]>(
      `INSERT INTO api_token (person_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)
       RETURNING id, name, created_at, last_used_at, revoked_at`,
      [personId, name, sha256Hex(token), this.clock.now()],
    );
    return { ...view(row), token };
  }

  async list(personId: string): Promise<ApiTokenView[]> {
    const rows = await this.dataSource.query<TokenRow[]>(
      `SELECT id, name, created_at, last_used_at, revoked_at FROM api_token WHERE person_id = $1 ORDER BY created_at, id`,
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

  /** The person a live token acts as (account enabled), else null. */
  async personOf(token: string): Promise<{ tokenId: string; personId: string } | null> {
    const [row] = await this.dataSource.query<Array<{ id: string; person_id: string }>>(
      `WITH used AS (
         UPDATE api_token t SET last_used_at = $2 FROM account a
          WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.person_id = t.person_id AND a.disabled_at IS NULL
          RETURNING t.id, t.person_id)
       SELECT id, person_id FROM used`,
      [sha256Hex(token), this.clock.now()],
    );
    return row ? { tokenId: row.id, personId: row.person_id } : null;
  }
}
