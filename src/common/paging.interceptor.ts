import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { Page } from './paging';

/** The URL of the page after this one: the same request with `after` set to the cursor. */
export function nextPageUrl(request: Pick<Request, 'originalUrl'>, cursor: string): string {
  const url = new URL(request.originalUrl, 'http://x');
  url.searchParams.set('after', cursor);
  return `${url.pathname}${url.search}`;
}

/** Answers a returned Page with its items as the body and the next page in a `Link` header (RFC 8288). */
@Injectable()
export class PagingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        if (!(body instanceof Page)) return body;
        const http = context.switchToHttp();
        const response = http.getResponse<Response>();
        if (body.next) response.setHeader('Link', `<${nextPageUrl(http.getRequest<Request>(), body.next)}>; rel="next"`);
        return body.items as unknown;
      }),
    );
  }
}
