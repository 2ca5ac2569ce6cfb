import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client of the gateway, as a frontend opens one, with the caller's bearer token. */
export function wsClient(httpUrl: string, authorization?: string, options: { retry?: boolean } = {}): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : {},
    lazy: false,
    retryAttempts: options.retry ? 5 : 0,
    onNonLazyError: () => undefined,
  });
}

/** Collects what one subscription receives; `until` waits (bounded) for a condition on it. */
export function collect<T = Record<string, any>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const received: T[] = [];
  const errors: unknown[] = [];
  let done = false;
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) errors.push(...value.errors);
        if (value.data) received.push(value.data as T);
        changed();
      },
      error: (error) => {
        // graphql-ws reports a refused subscription as the list of its errors.
        if (Array.isArray(error)) errors.push(...error);
        else errors.push(error);
        done = true;
        changed();
      },
      complete: () => {
        done = true;
        changed();
      },
    },
  );
  return {
    received,
    errors,
    get done() {
      return done;
    },
    dispose,
    /** Resolves once `test()` holds; rejects after `timeoutMs` with what arrived so far. */
    until(test: () => boolean, timeoutMs = 10_000): Promise<void> {
      if (test()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out; received ${JSON.stringify(received)} errors ${JSON.stringify(errors)}`));
        }, timeoutMs);
        const check = () => {
          if (!test()) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
      });
    },
  };
}

/** The close event of a client's socket (code and reason), for refusals. */
export function closeOf(client: Client): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    client.on('closed', (event) => {
      const { code, reason } = event as { code: number; reason: string };
      resolve({ code, reason: String(reason) });
    });
  });
}
