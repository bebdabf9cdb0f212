import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccountsService } from './accounts.service';
import { ActorResolver } from './actor.resolver';
import { ApiTokensService } from './api-tokens.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { LoginService } from './login.service';
import { SessionsService } from './sessions.service';

/** Sign-in (sessions, API tokens, login limits), CSRF and the acting person of every request. */
@Global()
@Module({
  controllers: [AuthController],
  providers: [ActorResolver, SessionsService, ApiTokensService, LoginService, AccountsService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [ActorResolver, AccountsService, SessionsService, ApiTokensService],
})
export class AuthModule {}
