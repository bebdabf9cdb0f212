import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from './database-unavailable';
import { UnsupportedMachineVersionError } from '@workflows/agreement/persistence';
import { DomainError, type DomainErrorCode } from './domain-error';

/** For an agreement this version cannot read: what happened, and that nothing was changed. */
export function unreadableMessage(error: UnsupportedMachineVersionError): string {
  return `${error.message} Inget har ändrats. Den här överenskommelsen kan läsas efter en uppgradering av tjänsten; kontakta förvaltningen.`;
}

function statusOf(code: DomainErrorCode): number {
  switch (code) {
    case 'not_found':
      return HttpStatus.NOT_FOUND;
    case 'validation_failed':
      return HttpStatus.BAD_REQUEST;
    case 'event_not_allowed':
    case 'stale_version':
    case 'conflict':
    case 'in_progress':
      return HttpStatus.CONFLICT;
    case 'forbidden':
      return HttpStatus.FORBIDDEN;
    case 'unauthenticated':
      return HttpStatus.UNAUTHORIZED;
    case 'rate_limited':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'idempotency_key_reused':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'busy':
      return HttpStatus.SERVICE_UNAVAILABLE;
  }
}

/** Invalid text representation, datetime format/overflow, numeric out of range, NUL or untranslatable character. */
const PG_BAD_VALUE = new Set(['22P02', '22007', '22008', '22003', '22021', '22P05']);

interface PgError {
  code?: string;
}

/**
 * One place maps failures to answers: domain errors by code, Nest's own HTTP
 * errors as they are, a database that cannot be reached as 503 with Retry-After
 * (JSON, or the Swedish page for a browser), and anything else as a 500 without a stack trace.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Fel');

  /** `pages` answers a browser that asks for an address no route has (the web's Swedish 404 page). */
  constructor(private readonly pages?: ExceptionFilter) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (this.pages && exception instanceof NotFoundException && request.method === 'GET' && request.accepts(['json', 'html']) === 'html') {
      this.pages.catch(exception, host);
      return;
    }
    // A browser following a link while signed out goes through the sign-in page and back, never to a JSON 401.
    if (this.pages && exception instanceof DomainError && exception.code === 'unauthenticated' && request.method === 'GET' && request.accepts(['json', 'html']) === 'html') {
      this.pages.catch(exception, host);
      return;
    }
    if (exception instanceof UnsupportedMachineVersionError) {
      if (this.pages && request.accepts(['json', 'html']) === 'html') {
        this.pages.catch(exception, host);
        return;
      }
      response.status(HttpStatus.SERVICE_UNAVAILABLE).json({ error: 'case_unreadable', message: unreadableMessage(exception) });
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`Databasen nås inte: ${exception instanceof Error ? exception.message : String(exception)}`);
      if (this.pages && request.accepts(['json', 'html']) === 'html') {
        this.pages.catch(exception, host);
        return;
      }
      response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      response.status(HttpStatus.SERVICE_UNAVAILABLE).json({ error: 'database_unavailable', message: DATABASE_UNAVAILABLE_MESSAGE });
      return;
    }
    if (exception instanceof DomainError) {
      const retryAfter = exception.details.retryAfterSeconds;
      if ((exception.code === 'rate_limited' || exception.code === 'in_progress' || exception.code === 'busy') && typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
      response.status(statusOf(exception.code)).json({ error: exception.code, message: exception.message, ...exception.details });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const raw = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : body;
      const messages = Array.isArray(raw) ? raw.map(String) : [typeof raw === 'string' ? raw : exception.message];
      response.status(status).json({
        error: status === 400 ? 'validation_failed' : status === 404 ? 'not_found' : 'http_error',
        message: status === 400 ? 'Uppgifterna är inte giltiga.' : messages[0],
        problems: status === 400 ? messages.map((m) => ({ field: m.split(' ')[0], message: m })) : undefined,
      });
      return;
    }
    const pg = exception as PgError;
    if (pg?.code === '23505') {
      // Our own words only: PostgreSQL's detail names tables, columns and other people's values.
      response.status(HttpStatus.CONFLICT).json({ error: 'conflict', message: 'Uppgiften finns redan.' });
      return;
    }
    if (pg?.code !== undefined && PG_BAD_VALUE.has(pg.code)) {
      // The validation should have refused it first; this is the net under it, never a 500.
      response.status(HttpStatus.BAD_REQUEST).json({ error: 'validation_failed', message: 'Ett värde har fel format eller är för stort.' });
      return;
    }
    this.logger.error(exception instanceof Error ? `${exception.name}: ${exception.message}` : 'okänt fel');
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ error: 'internal', message: 'Ett oväntat fel inträffade. Försök igen eller kontakta förvaltningen.' });
  }
}
