import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestAuthOf } from '@app/auth/request-auth';
import { INBOX_COUNT_MARKER } from '@app/web/layout';
import { InboxService } from './inbox.service';

/** How long a page waits for its count in the navigation. */
const COUNT_TIMEOUT_MS = 2000;

/** The count as the navigation shows it: nothing at 0, "99+" past 99, with words for a screen reader. */
export function navCount(n: number): string {
  if (n <= 0) return '';
  const shown = n > 99 ? '99+' : String(n);
  return ` <span class="nav-count">${shown}<span class="visually-hidden"> ${n === 1 ? 'sak väntar' : 'saker väntar'}</span></span>`;
}

/**
 * Puts the number of things waiting into the navigation of every page as it is sent: only a body
 * that carries the layout's marker is counted (a page for a signed-in person), so the API, the
 * assets and the files pay nothing; the count is LIMIT-bounded per source (InboxService.count).
 */
@Injectable()
export class NavCountMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Att göra');

  constructor(private readonly inbox: InboxService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const send = res.send.bind(res);
    res.send = (body?: unknown): Response => {
      // Only a page: JSON (where a title could hold the marker's text verbatim) is sent as it is.
      const type = String(res.getHeader('Content-Type') ?? 'text/html');
      if (typeof body !== 'string' || !type.startsWith('text/html') || !body.includes(INBOX_COUNT_MARKER)) return send(body);
      void this.countFor(req).then((n) => send(body.replace(INBOX_COUNT_MARKER, navCount(n))));
      return res;
    };
    next();
  }

  private async countFor(req: Request): Promise<number> {
    try {
      const { actor, method } = requestAuthOf(req);
      if (method !== 'session' || !actor.personId) return 0;
      // A page is never held back by its count: past the limit it goes without one.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(0), COUNT_TIMEOUT_MS)));
      try {
        return await Promise.race([this.inbox.count(actor), late]);
      } finally {
        clearTimeout(timer);
      }
    } catch (error) {
      // The page is sent without its count rather than not at all.
      this.logger.warn({ msg: 'Antalet i Att göra kunde inte räknas', error: error instanceof Error ? error.message : String(error) });
      return 0;
    }
  }
}
