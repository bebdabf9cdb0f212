import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AgreementTablesModule } from '@app/agreements/agreement-tables.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { InvitationsService } from './invitations.service';
import { ActorResolver } from './actor.resolver';
import { AgreementAccessService } from './agreement-access.service';
import { ApiTokensService } from './api-tokens.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { LoginService } from './login.service';
import { OidcController } from './oidc.controller';
import { OidcService } from './oidc.service';
import { SecurityLogService } from './security-log.service';
import { SessionsService } from './sessions.service';

/** Sign-in (sessions, API tokens, login limits), CSRF and the acting person of every request. */
@Global()
@Module({
  imports: [AgreementTablesModule],
  controllers: [AuthController, AccountsController, OidcController],
  providers: [ActorResolver, SessionsService, ApiTokensService, LoginService, OidcService, AccountsService, InvitationsService, AgreementAccessService, SecurityLogService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [ActorResolver, LoginService, AccountsService, InvitationsService, AgreementAccessService, SessionsService, ApiTokensService, SecurityLogService],
})
export class AuthModule {}
