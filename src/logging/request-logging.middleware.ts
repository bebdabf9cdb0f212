import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { bindRequestContext, requestContext, type RequestContext } from './request-context';

export const REQUEST_ID_HEADER = 'x-request-id';
/** Incoming ids are echoed into logs, so only accept short, boring ones. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Next = (err?: unknown) => void;

/**
 * Express middleware: assigns a request id (incoming x-request-id or a new UUID), echoes it in the
 * response and logs one line when the response ends, with the person once the AuthGuard knows them.
 * Never logs bodies, headers or query strings (passwords and tokens travel there).
 */
export function requestLogging(logger: LoggerService) {
  return (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: Next): void => {
    const incoming = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const context: RequestContext = { requestId };
    bindRequestContext(req, context);
    const started = process.hrtime.bigint();
    let logged = false;
    const done = (): void => {
      if (logged) return;
      logged = true;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.log(
        {
          msg: 'http',
          requestId,
          ...(context.personId === undefined ? {} : { personId: context.personId }),
          method: req.method,
          path: (req.originalUrl ?? req.url ?? '').split('?')[0],
          status: res.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'HTTP',
      );
    };
    res.once('finish', done);
    res.once('close', done);
    requestContext.run(context, () => next());
  };
}
