import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '@app/common/domain-error';
import { AppConfig } from '@app/config/app-config';
import { setRequestPerson } from '@app/logging/request-context';
import { ActorResolver } from './actor.resolver';
import { PUBLIC_ROUTE } from './public.decorator';
import { setRequestAuth } from './request-auth';
import { readBearerToken, readCookie, SESSION_COOKIE } from './secrets';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/**
 * Global guard, before every handler:
 * 1. CSRF, for every state-changing request whatever its path (so no spelling of a sign-in route,
 *    /Logga-In or /auth/login/, escapes it): refused with 403 when the browser says it comes from
 *    another site (Sec-Fetch-Site), else when Origin, or else Referer, names another origin than
 *    PUBLIC_BASE_URL's. A request with the session cookie must also name our origin. A bearer
 *    token without a cookie is exempt: nothing ambient is sent, a browser cannot forge that header.
 * 2. Resolves the actor once (see ActorResolver) for @CurrentActor() / @CurrentAuth().
 * Routes marked @Public() (read-only, with their own access check) skip both.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly ownOrigin: string;

  constructor(
    private readonly actors: ActorResolver,
    config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    this.ownOrigin = new URL(config.publicBaseUrl).origin;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<Request>();
    this.checkOrigin(request);
    const auth = await this.actors.resolveRequest(request);
    setRequestAuth(request, auth);
    setRequestPerson(request, auth.actor.personId);
    return true;
  }

  private checkOrigin(request: Request): void {
    if (!STATE_CHANGING.has(request.method)) return;
    const hasCookie = readCookie(request.headers.cookie, SESSION_COOKIE) !== undefined;
    if (!hasCookie && readBearerToken(request.headers.authorization) !== undefined) return;
    if (!this.fromOwnSite(request, hasCookie)) {
      throw new DomainError('forbidden', 'Begäran kommer inte från tjänstens egen webbplats och avvisas (CSRF-skydd).');
    }
  }

  private fromOwnSite(request: Request, hasCookie: boolean): boolean {
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site') return false;
    const origin = request.headers.origin;
    const referer = request.headers.referer;
    // 'same-site' is a sibling host (another service under the same domain): only our own origin passes.
    if (site === 'same-site' && origin === undefined && referer === undefined) return false;
    if (origin !== undefined) return originOf(origin) === this.ownOrigin;
    if (referer !== undefined) return originOf(referer) === this.ownOrigin;
    // Neither header: not a browser form or fetch (they send Origin on every POST), unless it carries our cookie.
    return !hasCookie;
  }
}
