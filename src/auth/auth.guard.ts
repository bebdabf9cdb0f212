import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '@app/common/domain-error';
import { AppConfig } from '@app/config/app-config';
import { ActorResolver } from './actor.resolver';
import { PUBLIC_ROUTE } from './public.decorator';
import { setRequestAuth } from './request-auth';
import { readCookie, SESSION_COOKIE } from './secrets';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Every sign-in form that sets the session cookie: the API's and the web page's. */
export const LOGIN_PATHS: ReadonlySet<string> = new Set(['/auth/login', '/logga-in']);

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
 * 1. CSRF: a state-changing request that carries the session cookie must come from our own origin
 *    (Origin, else Referer, equal to PUBLIC_BASE_URL's origin), else 403. The sign-in forms (API and
 *    web page) are refused from a foreign origin too (login CSRF). Cookieless requests (bearer tokens, API clients)
 *    are not affected: a browser cannot attach an Authorization header cross-origin.
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
    setRequestAuth(request, await this.actors.resolveRequest(request));
    return true;
  }

  private checkOrigin(request: Request): void {
    if (!STATE_CHANGING.has(request.method)) return;
    const origin = request.headers.origin ?? request.headers.referer;
    const claimed = originOf(origin);
    const hasCookie = readCookie(request.headers.cookie, SESSION_COOKIE) !== undefined;
    if (hasCookie ? claimed !== this.ownOrigin : LOGIN_PATHS.has(request.path) && origin !== undefined && claimed !== this.ownOrigin) {
      throw new DomainError('forbidden', 'Begäran kommer inte från tjänstens egen webbplats och avvisas (CSRF-skydd).');
    }
  }
}
