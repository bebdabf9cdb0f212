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

const byRequest = new WeakMap<object, RequestContext>();

/** The request logging middleware ties the context to the request object too (async context can be lost in body streams). */
export function bindRequestContext(request: object, context: RequestContext): void {
  byRequest.set(request, context);
}

/** Called by the AuthGuard: from here on the request's log lines name the person. */
export function setRequestPerson(request: object, personId: string | null): void {
  const context = byRequest.get(request) ?? requestContext.getStore();
  if (context !== undefined && personId !== null) context.personId = personId;
}
