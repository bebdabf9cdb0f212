import type { Actor } from '@app/audit/actor';
import type { DomainError } from '@app/common/domain-error';

/** How the actor of a request was established. */
export type AuthMethod = 'session' | 'token' | 'header' | 'anonymous';

/** What the global AuthGuard resolved for one request. */
export interface RequestAuth {
  actor: Actor;
  method: AuthMethod;
  /** SHA-256 id of the session when method is 'session'. */
  sessionId?: string;
  /** The API token's id when method is 'token'. */
  tokenId?: string;
  /** A bad x-person-id header: thrown only when a handler asks for the actor (as before sign-in existed). */
  headerProblem?: DomainError;
}

const resolved = new WeakMap<object, RequestAuth>();

export function setRequestAuth(request: object, auth: RequestAuth): void {
  resolved.set(request, auth);
}

export function requestAuthOf(request: object): RequestAuth {
  const auth = resolved.get(request);
  if (!auth) throw new Error('AuthGuard har inte körts för begäran.');
  return auth;
}
