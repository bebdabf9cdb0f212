import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ACTOR_HEADER } from './actor.resolver';

/** The raw acting-person id from the request; controllers resolve it with ActorResolver. */
export const ActorId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined => {
  const value = ctx.switchToHttp().getRequest<Request>().headers[ACTOR_HEADER];
  return Array.isArray(value) ? value[0] : value;
});
