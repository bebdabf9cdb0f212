import { Body, Controller, Get, Header, HttpCode, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ActorResolver } from '@app/auth/actor.resolver';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import { clientAddress, LoginService } from '@app/auth/login.service';
import type { RequestAuth } from '@app/auth/request-auth';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from '@app/auth/secrets';
import { SessionsService } from '@app/auth/sessions.service';
import { DomainError } from '@app/common/domain-error';
import { AppConfig } from '@app/config/app-config';
import { startPageOf } from './access';
import { SCRIPT, STYLESHEET } from './assets';
import { signInPage } from './views/sign-in.view';
import { safeReturnPath, WebExceptionFilter } from './web-exception.filter';

type Form = Record<string, string | string[] | undefined>;

const text = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** Sign-in and sign-out for the pages, the start page by role, and the static assets. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller()
export class WebAuthController {
  constructor(
    private readonly config: AppConfig,
    private readonly login: LoginService,
    private readonly sessions: SessionsService,
    private readonly actors: ActorResolver,
  ) {}

  @Get()
  start(@CurrentAuth() auth: RequestAuth, @Res() res: Response): void {
    res.redirect(303, auth.method === 'session' && auth.actor.personId ? startPageOf(auth.actor) : '/logga-in');
  }

  @Get('logga-in')
  @Header('Content-Type', 'text/html; charset=utf-8')
  signInForm(@Query('tillbaka') back: unknown, @Query('utloggad') signedOut: unknown): string {
    return signInPage({ email: '', returnTo: safeReturnPath(back), problem: null, oidc: this.config.oidc !== undefined, flash: signedOut ? { kind: 'success', text: 'Du är utloggad.' } : null });
  }

  @Post('logga-in')
  async signIn(@Body() body: Form, @Req() req: Request, @Res() res: Response): Promise<void> {
    const email = text(body.email).trim();
    const returnTo = safeReturnPath(text(body.tillbaka));
    try {
      const session = await this.login.login({
        email,
        password: text(body.password),
        address: clientAddress(req),
        presentedSessionSecret: readCookie(req.headers.cookie, SESSION_COOKIE),
      });
      setSessionCookie(res, session.secret, this.config);
      const actor = await this.actors.actorOf(session.personId);
      res.redirect(303, returnTo ?? (actor ? startPageOf(actor) : '/'));
    } catch (error) {
      if (!(error instanceof DomainError) || (error.code !== 'unauthenticated' && error.code !== 'rate_limited')) throw error;
      const retryAfter = error.details.retryAfterSeconds;
      if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
      res.status(error.code === 'rate_limited' ? 429 : 401).type('html').send(signInPage({ email, returnTo, problem: error.message, oidc: this.config.oidc !== undefined }));
    }
  }

  @Post('logga-ut')
  @HttpCode(303)
  async signOut(@CurrentAuth() auth: RequestAuth, @Req() req: Request, @Res() res: Response): Promise<void> {
    const secret = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (auth.sessionId) await this.sessions.revoke(auth.sessionId);
    else if (secret) await this.sessions.revokeSecret(secret);
    clearSessionCookie(res, this.config);
    res.redirect(303, '/logga-in?utloggad=1');
  }

  @Get('assets/iop.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  stylesheet(): string {
    return STYLESHEET;
  }

  @Get('assets/iop.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  script(): string {
    return SCRIPT;
  }
}
