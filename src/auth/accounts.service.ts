import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ACCOUNT_ROLES, type AccountRole } from '@app/audit/actor';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { hashPassword } from './passwords';

/** What /auth/login and /auth/me answer: never a hash, a session id or a token. */
export interface AccountProfile {
  person: { id: string; name: string; email: string; title: string | null };
  organisation: { id: string; name: string; kind: string } | null;
  roles: AccountRole[];
}

@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
  ) {}

  /** Creates (or replaces the password and roles of) the account of an existing person. */
  async upsert(personId: string, password: string, roles: AccountRole[]): Promise<void> {
    await this.upsertHashed(personId, await hashPassword(password), roles);
  }

  async upsertHashed(personId: string, passwordHash: string, roles: AccountRole[]): Promise<void> {
    const unknown = roles.filter((r) => !(ACCOUNT_ROLES as readonly string[]).includes(r));
    if (unknown.length > 0) throw DomainError.validation([{ field: 'roles', message: `okänd roll: ${unknown.join(', ')}` }]);
    await this.dataSource.query(
      `INSERT INTO account (person_id, password_hash, roles, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (person_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, roles = EXCLUDED.roles`,
      [personId, passwordHash, [...new Set(roles)], this.clock.now()],
    );
  }

  async profile(personId: string): Promise<AccountProfile> {
    const [row] = await this.dataSource.query<
      Array<{ id: string; name: string; email: string; title: string | null; organisation_id: string | null; organisation_name: string | null; kind: string | null; roles: string[] }>
    >(
      `SELECT p.id, p.name, p.email, p.title, o.id AS organisation_id, o.name AS organisation_name, o.kind, a.roles
         FROM account a JOIN person p ON p.id = a.person_id LEFT JOIN organisation o ON o.id = p.organisation_id
        WHERE a.person_id = $1`,
      [personId],
    );
    if (!row) throw new DomainError('unauthenticated', 'Du är inte inloggad.');
    return {
      person: { id: row.id, name: row.name, email: row.email, title: row.title },
      organisation: row.organisation_id ? { id: row.organisation_id, name: row.organisation_name ?? '', kind: row.kind ?? '' } : null,
      roles: row.roles.filter((r): r is AccountRole => (ACCOUNT_ROLES as readonly string[]).includes(r)),
    };
  }
}
