import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '@app/config/app-config';
import { AccountsService, type AccountProfile } from './accounts.service';
import { ApiTokensService, type ApiTokenView, type IssuedApiToken } from './api-tokens.service';
import { CurrentAuth, signedInPersonId } from './current-actor.decorator';
import { CreateApiTokenDto, LoginDto } from './dto/auth.dto';
import { clientAddress, LoginService } from './login.service';
import type { RequestAuth } from './request-auth';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from './secrets';
import { SessionsService } from './sessions.service';
import { Idempotent } from '@app/idempotency/idempotent.decorator';
import { AccountProfileView, ApiTokenView as ApiTokenSchema, IssuedApiTokenView, SignedInView } from './dto/account-view.dto';

const tokenId = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Token finns inte.') });

@ApiTags('Inloggning')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly config: AppConfig,
    private readonly login: LoginService,
    private readonly sessions: SessionsService,
    private readonly accounts: AccountsService,
    private readonly tokens: ApiTokensService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Logga in med e-post och lösenord; sätter en ny sessionscookie (iop_session)' })
  @ApiOkResponse({ type: SignedInView, description: 'Inloggad: sessionscookien sätts.' })
  async signIn(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccountProfile & { expiresAt: string }> {
    const session = await this.login.login({
      email: dto.email,
      password: dto.password,
      address: clientAddress(req),
      presentedSessionSecret: readCookie(req.headers.cookie, SESSION_COOKIE),
    });
    setSessionCookie(res, session.secret, this.config);
    return { ...(await this.accounts.profile(session.personId)), expiresAt: session.expiresAt.toISOString() };
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Logga ut den här sessionen' })
  async signOut(@CurrentAuth() auth: RequestAuth, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const secret = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (auth.sessionId) await this.sessions.revoke(auth.sessionId);
    else if (secret) await this.sessions.revokeSecret(secret);
    clearSessionCookie(res, this.config);
  }

  @Post('logout-everywhere')
  @HttpCode(204)
  @ApiOperation({ summary: 'Logga ut alla sessioner och återkalla alla API-token för kontot, på alla instanser' })
  async signOutEverywhere(@CurrentAuth() auth: RequestAuth, @Res({ passthrough: true }) res: Response): Promise<void> {
    const personId = signedInPersonId(auth);
    await this.sessions.revokeAll(personId);
    await this.tokens.revokeAll(personId);
    clearSessionCookie(res, this.config);
  }

  @Get('me')
  @ApiOperation({ summary: 'Den inloggade personen, organisationen och rollerna' })
  @ApiOkResponse({ type: AccountProfileView })
  me(@CurrentAuth() auth: RequestAuth): Promise<AccountProfile> {
    return this.accounts.profile(signedInPersonId(auth));
  }

  @Post('tokens')
  @Idempotent({ storeBody: false })
  @ApiOperation({ summary: 'Skapa en API-token för en integration (hemligheten visas bara nu)' })
  @ApiCreatedResponse({ type: IssuedApiTokenView })
  createToken(@CurrentAuth() auth: RequestAuth, @Body() dto: CreateApiTokenDto): Promise<IssuedApiToken> {
    // Only from a session: a leaked token must not be able to mint more tokens.
    return this.tokens.issue(signedInPersonId(auth, ['session']), dto.name.trim(), dto.expiresInDays);
  }

  @Get('tokens')
  @ApiOperation({ summary: 'Mina API-token (utan hemligheter)' })
  @ApiOkResponse({ type: [ApiTokenSchema] })
  listTokens(@CurrentAuth() auth: RequestAuth): Promise<ApiTokenView[]> {
    return this.tokens.list(signedInPersonId(auth));
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Återkalla en API-token' })
  async revokeToken(@CurrentAuth() auth: RequestAuth, @Param('id', tokenId) id: string): Promise<void> {
    await this.tokens.revoke(signedInPersonId(auth), id);
  }

}
