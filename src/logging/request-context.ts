import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  readonly requestId: string;
  /** The person acting, once the AuthGuard has resolved them (unset for anonymous requests). */
  personId?: string;
}

/** Lets any log line written while handling a request carry that request's id and person. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

export function currentRequestContext(): RequestContext | undefined {
  return requestContext.getStore();
}

/** Called by the AuthGuard: from here on the request's log lines name the person. */
export function setRequestPerson(personId: string | null): void {
  const store = requestContext.getStore();
  if (store !== undefined && personId !== null) store.personId = personId;
}
