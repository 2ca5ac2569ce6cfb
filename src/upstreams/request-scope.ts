import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What an upstream call needs to know about the GraphQL request it serves, without every client
 * method taking it as an argument: the request's deadline signal (cancels outstanding calls) and
 * its id (sent upstream where the vendor supports one, for log correlation).
 */
export interface RequestScope {
  signal?: AbortSignal;
  requestId?: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

export function currentSignal(): AbortSignal | undefined {
  return requestScope.getStore()?.signal;
}
