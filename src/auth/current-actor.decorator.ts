import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@app/audit/actor';
import { DomainError } from '@app/common/domain-error';
import { requestAuthOf, type RequestAuth } from './request-auth';

/** The acting person, as resolved by the global AuthGuard (session, token, trusted header or anonymous). */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const auth = requestAuthOf(ctx.switchToHttp().getRequest<object>());
  if (auth.headerProblem) throw auth.headerProblem;
  return auth.actor;
});

/** Everything the guard resolved: actor, how, and the session or token id. */
export const CurrentAuth = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestAuth => requestAuthOf(ctx.switchToHttp().getRequest<object>()));

/** The signed-in person's id (session or API token), else 401. */
export function signedInPersonId(auth: RequestAuth, via: ReadonlyArray<RequestAuth['method']> = ['session', 'token']): string {
  if (!via.includes(auth.method) || !auth.actor.personId) throw new DomainError('unauthenticated', 'Du är inte inloggad.');
  return auth.actor.personId;
}
