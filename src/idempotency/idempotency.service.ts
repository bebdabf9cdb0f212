import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common/domain-error';
import { runIdempotent, type CreatedResource, type IdempotentRequest } from './idempotency.context';
import { claimKey, completeKey, releaseKey, type ClaimResult, type IdempotencyScope } from './idempotency.store';

/** JSON with object keys sorted, so the same body always gives the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()}\n${path}\n${canonical(body)}`).digest('hex');
}

export const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

export const MISMATCH_MESSAGE = 'Idempotency-Key har redan använts för en annan begäran (annan adress eller annat innehåll). Använd en ny nyckel för en ny begäran.';
export const IN_PROGRESS_MESSAGE = 'En begäran med samma Idempotency-Key pågår fortfarande. Vänta en stund och försök igen.';

export type FormOutcome = { kind: 'done'; location: string; replayed: boolean } | { kind: 'notice'; status: 409 | 422; title: string; message: string };

/** The key store for API requests (the interceptor) and one-time form tokens (the web forms). */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger('Idempotens');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  claim(scope: IdempotencyScope): Promise<ClaimResult> {
    return claimKey(this.dataSource, scope);
  }

  async complete(request: IdempotentRequest, statusCode: number, body: string | null): Promise<void> {
    try {
      await completeKey(this.dataSource, request, request.claimToken, { statusCode, body });
    } catch (error) {
      // The create itself is safe (committed, bound in its transaction where it can be); only the stored answer is missing.
      this.logger.warn(`Svaret för nyckeln kunde inte sparas: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async release(request: IdempotentRequest): Promise<void> {
    await releaseKey(this.dataSource, request, request.claimToken).catch(() => undefined);
  }

  /**
   * A web form submitted with its one-time token: runs `create` once (it answers with where to go
   * next); a second submit of the same form goes to the same place, or gets a Swedish notice.
   * Without a token (a page from before tokens) the form is handled as before.
   */
  async submitForm(
    input: { personId: string | null; token: string; path: string; body: Record<string, unknown> },
    create: () => Promise<string>,
    locationOf: (resource: CreatedResource) => string,
  ): Promise<FormOutcome> {
    if (!input.personId || !KEY_PATTERN.test(input.token)) return { kind: 'done', location: await create(), replayed: false };
    const { formToken: _ignored, ...fields } = input.body;
    const scope: IdempotencyScope = {
      personKey: input.personId,
      key: `form:${input.token}`,
      fingerprint: requestFingerprint('POST', input.path, fields),
      method: 'POST',
      path: input.path,
    };
    const claim = await this.claim(scope);
    switch (claim.kind) {
      case 'replay':
        return { kind: 'done', location: (JSON.parse(claim.answer.body ?? '{}') as { location?: string }).location ?? '/', replayed: true };
      case 'committed':
        return { kind: 'done', location: locationOf({ type: claim.resourceType, id: claim.resourceId }), replayed: true };
      case 'mismatch':
        return { kind: 'notice', status: 422, title: 'Formuläret har redan skickats', message: 'Det här formuläret har redan skickats med andra uppgifter. Öppna formuläret på nytt för att registrera något nytt.' };
      case 'in_progress':
        return { kind: 'notice', status: 409, title: 'Formuläret skickas redan', message: 'Formuläret håller redan på att sparas. Vänta en stund och ladda sedan om sidan.' };
      case 'claimed':
        break;
    }
    const request: IdempotentRequest = { personKey: scope.personKey, key: scope.key, claimToken: claim.claimToken, successStatus: null };
    let location: string;
    try {
      location = await runIdempotent(request, create);
    } catch (error) {
      if (request.committed) location = locationOf(request.committed.resource);
      else {
        await this.release(request);
        throw error;
      }
    }
    await this.complete(request, 303, JSON.stringify({ location }));
    return { kind: 'done', location, replayed: false };
  }

  /** The refusals of a repeated key, as the API answers them. */
  static refusal(claim: Extract<ClaimResult, { kind: 'mismatch' | 'in_progress' }>): DomainError {
    return claim.kind === 'mismatch'
      ? new DomainError('idempotency_key_reused', MISMATCH_MESSAGE)
      : new DomainError('in_progress', IN_PROGRESS_MESSAGE, { retryAfterSeconds: claim.retryAfterSeconds });
  }
}
