import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, of, switchMap, type Observable } from 'rxjs';
import { requestAuthOf } from '@app/auth/request-auth';
import { DomainError } from '@app/common/domain-error';
import { runIdempotent, type IdempotentRequest } from './idempotency.context';
import { IDEMPOTENCY_HEADER, IDEMPOTENT, type IdempotentOptions } from './idempotent.decorator';
import { IdempotencyService, KEY_PATTERN, requestFingerprint } from './idempotency.service';

/** The answer when the create committed but its own answer could not be built or was not stored. */
function committedBody(resource: { type: string; id: string }): Record<string, unknown> {
  return { id: resource.id, resourceType: resource.type, committed: true, message: 'Det är sparat. Hämta uppgiften på nytt för att se den i sin helhet.' };
}

/**
 * For routes marked @Idempotent(): a request with an Idempotency-Key runs once per person and key.
 * The key is claimed before the handler, bound to what was created inside the create's transaction,
 * and the answer stored afterwards; a retry gets that answer (header Idempotent-Replayed: true).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotencyService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const options = this.reflector.get<IdempotentOptions | undefined>(IDEMPOTENT, context.getHandler());
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = request.header(IDEMPOTENCY_HEADER);
    if (!options || key === undefined) return next.handle();
    if (!KEY_PATTERN.test(key)) {
      throw DomainError.validation([{ field: IDEMPOTENCY_HEADER, message: `${IDEMPOTENCY_HEADER} ska vara 1–200 synliga tecken (t.ex. ett UUID).` }]);
    }
    const personId = requestAuthOf(request).actor.personId;
    // Without a person nothing can be created anyway; the handler says why.
    if (!personId) return next.handle();
    const successStatus = (this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED);
    const path = request.originalUrl.split('?')[0] ?? request.path;
    const scope = { personKey: personId, key, fingerprint: requestFingerprint(request.method, path, request.body), method: request.method, path };

    return from(this.store.claim(scope)).pipe(
      switchMap((claim): Observable<unknown> => {
        switch (claim.kind) {
          case 'mismatch':
          case 'in_progress':
            throw IdempotencyService.refusal(claim);
          case 'replay':
            response.setHeader('Idempotent-Replayed', 'true');
            if (claim.answer.body === null) {
              throw new DomainError('conflict', 'Det här skapades redan med samma Idempotency-Key. Hemligheten visas bara en gång; skapa en ny om du inte sparade den.');
            }
            response.status(claim.answer.statusCode);
            return of(JSON.parse(claim.answer.body) as unknown);
          case 'committed':
            response.setHeader('Idempotent-Replayed', 'true');
            response.status(successStatus);
            return of(committedBody({ type: claim.resourceType, id: claim.resourceId }));
          case 'claimed':
            return this.handle(next, response, { personKey: personId, key, claimToken: claim.claimToken, successStatus }, options);
        }
      }),
    );
  }

  private handle(next: CallHandler, response: Response, request: IdempotentRequest, options: IdempotentOptions): Observable<unknown> {
    // handle() must be called inside the context: Nest binds the handler's async context there.
    return runIdempotent(request, () => next.handle()).pipe(
      mergeMap(async (body: unknown) => {
        if (!request.committed?.answer) {
          await this.store.complete(request, response.statusCode, options.storeBody === false ? null : JSON.stringify(body ?? null));
        }
        return body;
      }),
      catchError(async (error: unknown) => {
        // Committed is committed: whatever failed after the commit (reading back, a later step) does not make it an error.
        if (request.committed) {
          response.status(request.successStatus ?? HttpStatus.CREATED);
          if (request.committed.answer?.body) return JSON.parse(request.committed.answer.body) as unknown;
          return committedBody(request.committed.resource);
        }
        await this.store.release(request);
        throw error;
      }),
    );
  }
}
