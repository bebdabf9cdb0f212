import { Injectable } from '@nestjs/common';
import { roleLabels } from '@workflows/agreement/labels';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { keysetRawPage, type Page, type PageRequest } from '@app/common/paging';
import { ACCOUNT_ROLES, type AccountRole } from '@app/audit/actor';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import type { Actor } from '@app/audit/actor';
import { ApiTokensService } from './api-tokens.service';
import { MIN_PASSWORD_LENGTH, passwordProblem } from './password-policy';
import { hashPassword } from './passwords';
import { SessionsService } from './sessions.service';
import { revokeCalendarTokens } from '@app/notifications/calendar-token.entity';

/** One account as administrators see it: never a hash. */
export interface AccountView {
  person: { id: string; name: string; email: string };
  organisation: { id: string; name: string; kind: string };
  roles: AccountRole[];
  hasPassword: boolean;
  signsInWithProvider: boolean;
  disabledAt: string | null;
}

export type AccountChange = 'roles_set' | 'password_set' | 'disabled' | 'enabled';

/** Roles that act for the municipality as a whole: only for people of a municipality. */
const MUNICIPAL_ROLES: readonly AccountRole[] = ['secretariat', 'administrator', 'auditor'];
export { MIN_PASSWORD_LENGTH };

/** What /auth/login and /auth/me answer: never a hash, a session id or a token. */
export interface AccountProfile {
  person: { id: string; name: string; email: string; title: string | null };
  organisation: { id: string; name: string; kind: string } | null;
  roles: AccountRole[];
}

/** Municipal roles only for people of a municipality: refused with the roles in words, naming the person's organisation. */
export function requireRolesFit(person: { name: string; kind: string; organisation_name: string }, roles: readonly AccountRole[]): void {
  const misplaced = roles.filter((r) => MUNICIPAL_ROLES.includes(r));
  if (person.kind !== 'municipality' && misplaced.length > 0) {
    throw DomainError.validation([{ field: 'roles', message: `${misplaced.length === 1 ? 'Rollen' : 'Rollerna'} ${roleLabels(misplaced)} kan bara ges till personer i en kommun; ${person.name} hör till ${person.organisation_name}.` }]);
  }
}

@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly sessions: SessionsService,
    private readonly tokens: ApiTokensService,
  ) {}

  /** Refuses a password NIST SP 800-63B would (too short, common, a pattern, the person's own name). */
  private requireGoodPassword(password: string, context: { email?: string | null; name?: string | null }): void {
    const problem = passwordProblem(password, context);
    if (problem) throw DomainError.validation([{ field: 'password', message: problem }]);
  }

  /** Creates (or replaces the password and roles of) the account of an existing person. */
  async upsert(personId: string, password: string, roles: AccountRole[]): Promise<void> {
    await this.upsertHashed(personId, await hashPassword(password), roles);
  }

  async upsertHashed(personId: string, passwordHash: string, roles: AccountRole[]): Promise<void> {
    const unknown = roles.filter((r) => !(ACCOUNT_ROLES as readonly string[]).includes(r));
    if (unknown.length > 0) throw DomainError.validation([{ field: 'roles', message: `${unknown.length === 1 ? 'Okänd roll' : 'Okända roller'}: ${unknown.join(', ')}` }]);
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

  /**
   * A new installation's first administrator, with the municipal organisation they work in (created
   * if its organisationsnummer is new). Without a password they sign in through the identity provider.
   */
  async createFirstAdministrator(input: { organisationName: string; organisationNumber: string; name: string; email: string; password?: string }): Promise<string> {
    if (input.password !== undefined) this.requireGoodPassword(input.password, input);
    const hash = input.password ? await hashPassword(input.password) : null;
    return this.dataSource.transaction(async (manager) => {
      const [org] = await manager.query<Array<{ id: string }>>(
        `INSERT INTO organisation (name, organisation_number, kind) VALUES ($1, $2, 'municipality')
         ON CONFLICT (organisation_number) DO UPDATE SET organisation_number = EXCLUDED.organisation_number RETURNING id`,
        [input.organisationName, input.organisationNumber],
      );
      const [person] = await manager.query<Array<{ id: string }>>(
        `INSERT INTO person (name, email, organisation_id) VALUES ($1, $2, $3) RETURNING id`,
        [input.name, input.email.trim().toLowerCase(), org.id],
      );
      await manager.query(`INSERT INTO account (person_id, password_hash, roles, created_at) VALUES ($1, $2, $3, $4)`, [person.id, hash, ['administrator'], this.clock.now()]);
      const installer: Actor = { personId: null, name: 'Installationen (första administratören)', role: 'system', organisationId: null, organisationName: null, organisationKind: null, roles: [] };
      await this.record(manager, person.id, 'roles_set', installer);
      if (hash) await this.record(manager, person.id, 'password_set', installer);
      return person.id;
    });
  }

  /** By organisation, then name; the person's id breaks ties. */
  async list(page: PageRequest): Promise<Page<AccountView>> {
    const rows = await keysetRawPage<AccountRow>(
      this.accountRows(),
      [
        { sql: 'o.name', value: (r) => r.organisation_name },
        { sql: 'p.name', value: (r) => r.name },
        { sql: 'p.id', value: (r) => r.id },
      ],
      page,
    );
    return rows.map(accountView);
  }

  /**
   * Gives a person an account with exactly `roles` (created without a password if new: they sign in
   * through the identity provider or get a password later). Municipal roles only for municipal people.
   */
  async setRoles(personId: string, roles: AccountRole[], by: Actor): Promise<AccountView> {
    const person = await this.personOrgKind(personId);
    requireRolesFit(person, roles);
    const unique = [...new Set(roles)];
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO account (person_id, password_hash, roles, created_at) VALUES ($1, NULL, $2, $3)
         ON CONFLICT (person_id) DO UPDATE SET roles = EXCLUDED.roles`,
        [personId, unique, this.clock.now()],
      );
      await this.record(manager, personId, 'roles_set', by);
    });
    return this.view(personId);
  }

  /** A reset by an administrator: whoever knew the old password is signed out, and the account's API tokens end. */
  async setPassword(personId: string, password: string, by: Actor): Promise<AccountView> {
    const person = await this.personOrgKind(personId);
    this.requireGoodPassword(password, person);
    const hash = await hashPassword(password);
    await this.dataSource.transaction((manager) => this.writePassword(manager, personId, hash, by));
    return this.view(personId);
  }

  /** The person's own new password (an invitation's link), checked against the policy; hashed before any transaction. */
  async hashFor(personId: string, password: string): Promise<string> {
    this.requireGoodPassword(password, await this.personOrgKind(personId));
    return hashPassword(password);
  }

  /** Sets a hashed password in the caller's transaction: sessions and API tokens end, and the change is recorded. */
  async writePassword(manager: EntityManager, personId: string, passwordHash: string, by: Actor): Promise<void> {
    const updated = await manager.query<unknown[]>(`UPDATE account SET password_hash = $2 WHERE person_id = $1 RETURNING person_id`, [personId, passwordHash]);
    if (updated.length === 0) throw DomainError.notFound('Kontot');
    await this.sessions.revokeAll(personId, manager);
    await this.tokens.revokeAll(personId, manager);
    await this.record(manager, personId, 'password_set', by);
  }

  /**
   * Disabling ends every session, API token and calendar link for good: enabling the account
   * again does not bring them back.
   */
  async setDisabled(personId: string, disabled: boolean, by: Actor): Promise<AccountView> {
    if (disabled && by.personId === personId) throw new DomainError('conflict', 'Du kan inte stänga av ditt eget konto.');
    await this.dataSource.transaction(async (manager) => {
      const updated = await manager.query<unknown[]>(
        `UPDATE account SET disabled_at = ${disabled ? '$2' : 'NULL'} WHERE person_id = $1 RETURNING person_id`,
        disabled ? [personId, this.clock.now()] : [personId],
      );
      if (updated.length === 0) throw DomainError.notFound('Kontot');
      if (disabled) {
        await this.sessions.revokeAll(personId, manager);
        await this.tokens.revokeAll(personId, manager);
        await revokeCalendarTokens(manager, personId, this.clock.now());
      }
      await this.record(manager, personId, disabled ? 'disabled' : 'enabled', by);
    });
    return this.view(personId);
  }

  /** Every change to the person's account, oldest first. */
  async changes(personId: string): Promise<Array<{ occurredAt: string; change: AccountChange; roles: AccountRole[]; by: string }>> {
    const rows = await this.dataSource.query<Array<{ occurred_at: Date; change: AccountChange; roles: AccountRole[]; actor_name: string }>>(
      `SELECT occurred_at, change, roles, actor_name FROM account_change WHERE person_id = $1 ORDER BY id`,
      [personId],
    );
    return rows.map((r) => ({ occurredAt: r.occurred_at.toISOString(), change: r.change, roles: r.roles, by: r.actor_name }));
  }

  private async view(personId: string): Promise<AccountView> {
    const found = await this.accountRows().where('p.id = :personId', { personId }).getRawOne<AccountRow>();
    if (!found) throw DomainError.notFound('Kontot');
    return accountView(found);
  }

  private accountRows(): SelectQueryBuilder<ObjectLiteral> {
    return this.dataSource
      .createQueryBuilder()
      .select(['p.id AS id', 'p.name AS name', 'p.email AS email', 'o.id AS organisation_id', 'o.name AS organisation_name', 'o.kind AS kind', 'a.roles AS roles'])
      .addSelect('a.password_hash IS NOT NULL', 'has_password')
      .addSelect('a.oidc_subject IS NOT NULL', 'linked')
      .addSelect('a.disabled_at', 'disabled_at')
      .from('account', 'a')
      .innerJoin('person', 'p', 'p.id = a.person_id')
      .innerJoin('organisation', 'o', 'o.id = p.organisation_id');
  }

  private async personOrgKind(personId: string): Promise<{ name: string; email: string; kind: string; organisation_name: string }> {
    const [row] = await this.dataSource.query<Array<{ name: string; email: string; kind: string; organisation_name: string }>>(
      `SELECT p.name, p.email, o.kind, o.name AS organisation_name FROM person p JOIN organisation o ON o.id = p.organisation_id WHERE p.id = $1`,
      [personId],
    );
    if (!row) throw DomainError.notFound('Personen');
    return row;
  }

  private async record(manager: EntityManager, personId: string, change: AccountChange, by: Actor): Promise<void> {
    await manager.query(
      `INSERT INTO account_change (occurred_at, person_id, change, roles, actor_person_id, actor_name)
       SELECT $2, $1, $3, a.roles, $4, $5 FROM account a WHERE a.person_id = $1`,
      [personId, this.clock.now(), change, by.personId, by.name],
    );
  }
}

interface AccountRow {
  id: string;
  name: string;
  email: string;
  organisation_id: string;
  organisation_name: string;
  kind: string;
  roles: string[];
  has_password: boolean;
  linked: boolean;
  disabled_at: Date | null;
}

function accountView(r: AccountRow): AccountView {
  return {
    person: { id: r.id, name: r.name, email: r.email },
    organisation: { id: r.organisation_id, name: r.organisation_name, kind: r.kind },
    roles: r.roles as AccountRole[],
    hasPassword: r.has_password,
    signsInWithProvider: r.linked,
    disabledAt: r.disabled_at ? r.disabled_at.toISOString() : null,
  };
}
