import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { CookieOptions, Request, Response } from 'express';
import { AppConfig } from '@app/config/app-config';
import { OIDC_LOGIN_TTL_MS, OIDC_STATE_COOKIE, OidcService } from './oidc.service';
import { readCookie, SESSION_COOKIE, setSessionCookie } from './secrets';

/** Sign-in through the municipality's identity provider (OpenID Connect); 404 while OIDC_* is not set. */
@ApiTags('Inloggning')
@Controller('auth/oidc')
export class OidcController {
  constructor(
    private readonly config: AppConfig,
    private readonly oidc: OidcService,
  ) {}

  @Get('login')
  @ApiOperation({ summary: 'Logga in via kommunens identitetstjänst (OpenID Connect): skickar webbläsaren dit' })
  @ApiQuery({ name: 'returnTo', required: false, description: 'Sökväg i tjänsten att komma tillbaka till, t.ex. /agreements' })
  @ApiFoundResponse({ description: 'Vidare till identitetsleverantören (Location).', headers: { Location: { description: 'Inloggningsadressen hos leverantören.', schema: { type: 'string' } } } })
  async login(@Query('returnTo') returnTo: unknown, @Res() res: Response): Promise<void> {
    const { authorizationUrl, state } = await this.oidc.start(returnTo);
    res.cookie(OIDC_STATE_COOKIE, state, { ...this.cookieBase(), path: this.callbackPath(), maxAge: OIDC_LOGIN_TTL_MS });
    res.redirect(302, authorizationUrl);
  }

  @Get('callback')
  @ApiOperation({ summary: 'Identitetstjänsten skickar tillbaka webbläsaren hit; sätter en ny sessionscookie (iop_session)' })
  @ApiFoundResponse({ description: 'Inloggad: vidare till sidan man kom från (Location), sessionscookien satt.', headers: { Location: { description: 'Sidan att fortsätta på.', schema: { type: 'string' } } } })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const cookies = req.headers.cookie;
    // The state cookie is single-use whatever happens next, also when the answer is an error.
    res.clearCookie(OIDC_STATE_COOKIE, { ...this.cookieBase(), path: this.callbackPath() });
    const done = await this.oidc.finish({
      params: Object.fromEntries(new URL(req.originalUrl, 'http://callback.invalid').searchParams),
      stateCookie: readCookie(cookies, OIDC_STATE_COOKIE),
      presentedSessionSecret: readCookie(cookies, SESSION_COOKIE),
    });
    // The same session cookie as POST /auth/login sets.
    setSessionCookie(res, done.secret, this.config);
    res.redirect(302, done.redirectTo);
  }

  /** SameSite=Lax: the provider sends the browser back with a top-level GET, which Lax cookies accompany. */
  private cookieBase(): CookieOptions {
    return { httpOnly: true, sameSite: 'lax', secure: this.config.secureCookies };
  }

  /** The callback's path as the browser sees it (PUBLIC_BASE_URL may carry a prefix). */
  private callbackPath(): string {
    return new URL(this.config.oidc?.redirectUri ?? `${this.config.publicBaseUrl}/auth/oidc/callback`).pathname;
  }
}
