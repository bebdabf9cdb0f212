import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import { ACCOUNT_ROLES, type AccountRole, type Actor, type ActorRole } from '@app/audit/actor';
import { DomainError } from '@app/common/domain-error';
import { AppConfig } from '@app/config/app-config';
import type { PartyKind } from '@workflows/agreement/types';
import { ApiTokensService } from './api-tokens.service';
import type { RequestAuth } from './request-auth';
import { readBearerToken, readCookie, SESSION_COOKIE } from './secrets';
import { SessionsService } from './sessions.service';

/** Only with TRUST_ACTOR_HEADER=on (tests, local tools): an API client may name the acting person here. */
export const ACTOR_HEADER = 'x-person-id';

export const ANONYMOUS_API_ACTOR: Actor = { personId: null, name: 'API-klient (ej inloggad)', role: 'api', organisationId: null, organisationName: null, organisationKind: null, roles: [] };

/** The role the audit history names when an account has several. */
const PRINCIPAL_ORDER: AccountRole[] = ['secretariat', 'signatory', 'member', 'auditor', 'administrator'];

interface PersonRow {
  id: string;
  name: string;
  organisation_id: string;
  organisation_name: string | null;
  organisation_kind: PartyKind | null;
  roles: string[] | null;
}

function headerValue(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Who is acting, in this order: a live session cookie, a valid bearer token, the x-person-id header
 * (only when TRUST_ACTOR_HEADER is on), else the anonymous API client.
 */
@Injectable()
export class ActorResolver {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly tokens: ApiTokensService,
  ) {}

  async resolveRequest(request: Request): Promise<RequestAuth> {
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (cookie) {
      const session = await this.sessions.personOf(cookie);
      const actor = session && (await this.actorOf(session.personId));
      if (session && actor) return { actor, method: 'session', sessionId: session.sessionId };
    }
    const bearer = readBearerToken(request.headers.authorization);
    if (bearer) {
      const token = await this.tokens.personOf(bearer);
      const actor = token && (await this.actorOf(token.personId));
      // A presented but dead token is refused outright rather than downgraded to anonymous.
      if (!token || !actor) throw new DomainError('unauthenticated', 'API-token är ogiltig eller återkallad.');
      return { actor, method: 'token', tokenId: token.tokenId };
    }
    const personId = this.config.trustActorHeader ? headerValue(request, ACTOR_HEADER) : undefined;
    if (personId) {
      if (!isUUID(personId)) return { actor: ANONYMOUS_API_ACTOR, method: 'anonymous', headerProblem: new DomainError('unauthenticated', `Rubriken ${ACTOR_HEADER} ska vara ett person-id (uuid).`) };
      const actor = await this.actorOf(personId);
      if (!actor) return { actor: ANONYMOUS_API_ACTOR, method: 'anonymous', headerProblem: new DomainError('unauthenticated', 'Personen i rubriken finns inte.') };
      return { actor, method: 'header' };
    }
    return { actor: ANONYMOUS_API_ACTOR, method: 'anonymous' };
  }

  /** The person as an actor, with their account's roles (none without an account); null if unknown. */
  async actorOf(personId: string): Promise<Actor | null> {
    const [row] = await this.dataSource.query<PersonRow[]>(
      `SELECT p.id, p.name, p.organisation_id, o.name AS organisation_name, o.kind AS organisation_kind, a.roles
         FROM person p LEFT JOIN organisation o ON o.id = p.organisation_id LEFT JOIN account a ON a.person_id = p.id
        WHERE p.id = $1`,
      [personId],
    );
    if (!row) return null;
    const roles = (row.roles ?? []).filter((r): r is AccountRole => (ACCOUNT_ROLES as readonly string[]).includes(r));
    const principal: ActorRole = PRINCIPAL_ORDER.find((r) => roles.includes(r)) ?? (row.organisation_kind === 'municipality' ? 'secretariat' : 'member');
    return { personId: row.id, name: row.name, role: principal, organisationId: row.organisation_id, organisationName: row.organisation_name, organisationKind: row.organisation_kind, roles };
  }
}
