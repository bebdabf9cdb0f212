import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@app/common/domain-error';
import { bindKey, type StoredAnswer } from './idempotency.store';

export interface CreatedResource {
  type: string;
  id: string;
}

/** The idempotent request being handled: its claimed key, and what its transaction committed. */
export interface IdempotentRequest {
  personKey: string;
  key: string;
  claimToken: string;
  /** The answer the route gives on success (201, or its @HttpCode); null for web forms, which answer with a redirect. */
  successStatus: number | null;
  /** Bound inside a transaction that has not finished yet. */
  tentative?: { resource: CreatedResource; answer?: StoredAnswer };
  /** Bound inside a transaction that committed: the request must answer success whatever fails later. */
  committed?: { resource: CreatedResource; answer?: StoredAnswer };
}

const storage = new AsyncLocalStorage<IdempotentRequest>();

export function runIdempotent<T>(request: IdempotentRequest, work: () => T): T {
  return storage.run(request, work);
}

/**
 * Called by a create inside its own transaction: the key now names what it created (and, for API
 * clients, the answer when it can be built there), so a committed create is always found on retry.
 * Nothing happens outside an idempotent request (timers, commands, requests without a key).
 */
export async function recordCreate(manager: EntityManager, resource: CreatedResource, reply?: { body: unknown }): Promise<void> {
  const request = storage.getStore();
  if (!request) return;
  const answer = request.successStatus !== null && reply ? { statusCode: request.successStatus, body: JSON.stringify(reply.body) } : undefined;
  if (!(await bindKey(manager, request, request.claimToken, resource, answer))) {
    // Another request took the key over (ours outlived its lease): it does the create, we roll back.
    throw new DomainError('in_progress', 'En begäran med samma Idempotency-Key pågår redan. Vänta och försök igen.', { retryAfterSeconds: 2 });
  }
  request.tentative = { resource, answer };
}

/** Called right after the create's transaction committed. */
export function createCommitted(): void {
  const request = storage.getStore();
  if (request?.tentative) request.committed = request.tentative;
}
