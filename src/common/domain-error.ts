/** Every failure a user can cause has a code; one filter maps codes to HTTP (see domain-error.filter.ts). */
export type DomainErrorCode =
  | 'not_found'
  | 'validation_failed'
  | 'event_not_allowed'
  | 'stale_version'
  | 'conflict'
  | 'forbidden'
  | 'unauthenticated'
  | 'rate_limited'
  /** An Idempotency-Key sent again with another request. */
  | 'idempotency_key_reused'
  /** The first request with the same Idempotency-Key is still running. */
  | 'in_progress'
  /** Work with a bounded queue (e.g. PDFs) is full right now: 503 with Retry-After. */
  | 'busy';

export interface FieldProblem {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  static notFound(what: string): DomainError {
    return new DomainError('not_found', `${what} finns inte.`);
  }

  static validation(problems: FieldProblem[]): DomainError {
    return new DomainError('validation_failed', 'Uppgifterna är inte giltiga.', { problems });
  }
}
