import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '@app/audit/actor';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '@app/common/database-unavailable';
import { DomainError } from '@app/common/domain-error';
import { unreadableMessage } from '@app/common/domain-error.filter';
import { UnsupportedMachineVersionError } from '@workflows/agreement/persistence';
import { requestAuthOf } from '@app/auth/request-auth';
import { html } from './html';
import { page } from './layout';

function actorOf(request: Request): Actor | null {
  try {
    const auth = requestAuthOf(request);
    return auth.method === 'session' ? auth.actor : null;
  } catch {
    return null;
  }
}

/**
 * Where the sign-in page sends the person afterwards: only a relative path on this site. Printable
 * ASCII (what a browser sends, percent-encoded), starting with one slash and no backslash anywhere, so
 * neither //host nor /\host (which browsers read as another host) nor a scheme can get through.
 */
export function safeReturnPath(value: unknown): string | null {
  return typeof value === 'string' && value.length < 500 && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) && !value.includes('\\') ? value : null;
}

/** A link from an older e-mail to the JSON API of an agreement (/agreements/:id…) returns to its page. */
export function pagePathOf(path: string): string {
  const legacy = /^\/agreements\/([0-9a-f-]{36})(?:[/?#]|$)/i.exec(path);
  return legacy ? `/overenskommelser/${legacy[1].toLowerCase()}` : path;
}

/** A page for a failure: what happened and the way back; also used for input refused before any route. */
export function errorPage(title: string, lead: string, actor: Actor | null, more = html``): string {
  return page({
    title,
    actor,
    body: html`<h1>${title}</h1><p class="lead">${lead}</p>${more}<p><a href="/">Till startsidan</a></p>`,
  });
}

/**
 * Failures on the pages as pages: not signed in → the sign-in page (then back), forbidden → a
 * clear 403 page, not found → 404, anything else → a page without technical details.
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Webb');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const actor = isDatabaseUnavailable(exception) ? null : actorOf(request);
    const code = exception instanceof DomainError ? exception.code : null;
    const status = exception instanceof HttpException ? exception.getStatus() : null;
    response.type('html');
    if (exception instanceof UnsupportedMachineVersionError) {
      response.status(503).send(errorPage('Överenskommelsen kan inte läsas', unreadableMessage(exception), actor));
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`Databasen nås inte: ${exception instanceof Error ? exception.message : String(exception)}`);
      response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      response.status(503).send(
        errorPage('Tjänsten är tillfälligt otillgänglig', 'Databasen går inte att nå just nu. Vänta en liten stund och försök sedan igen; det du redan har sparat finns kvar.', null,
          html`<p>Om du skickade ett formulär: ladda om sidan och skicka det igen. Det registreras bara en gång.</p>`),
      );
      return;
    }
    if (code === 'unauthenticated') {
      const back = request.method === 'GET' ? safeReturnPath(pagePathOf(request.originalUrl)) : null;
      response.redirect(303, back && back !== '/' ? `/logga-in?tillbaka=${encodeURIComponent(back)}` : '/logga-in');
      return;
    }
    if (code === 'forbidden' || status === HttpStatus.FORBIDDEN) {
      const message = exception instanceof Error ? exception.message : '';
      response.status(403).send(
        errorPage('Du har inte behörighet till den här sidan', message || 'Ditt konto har inte den roll som krävs.', actor,
          html`<p>Om du behöver komma åt sidan, kontakta nämndkansliet eller en administratör.</p>`),
      );
      return;
    }
    if (code === 'not_found' || status === HttpStatus.NOT_FOUND) {
      response.status(404).send(errorPage('Sidan finns inte', 'Det finns ingen sida eller överenskommelse på den här adressen, eller så får du inte se den.', actor));
      return;
    }
    if ((code === 'rate_limited' || code === 'in_progress' || code === 'busy') && exception instanceof DomainError) {
      const retryAfter = exception.details.retryAfterSeconds;
      if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
      response.status(code === 'rate_limited' ? 429 : code === 'busy' ? 503 : 409).send(errorPage('Försök igen senare', exception.message, actor));
      return;
    }
    if (exception instanceof DomainError || (status !== null && status < 500)) {
      const message = exception instanceof Error ? exception.message : '';
      response.status(code === 'validation_failed' ? 400 : code === 'idempotency_key_reused' ? 422 : exception instanceof DomainError ? 409 : (status ?? 400)).send(errorPage('Det gick inte att genomföra', message, actor));
      return;
    }
    this.logger.error(exception instanceof Error ? `${exception.name}: ${exception.message}` : 'okänt fel');
    response.status(500).send(errorPage('Ett oväntat fel inträffade', 'Försök igen, eller kontakta förvaltningen om felet kvarstår.', actor));
  }
}
