import DataLoader from 'dataloader';

import { callsWritten } from '../../upstreams/transport';

/**
 * `batched`: DataLoaders batch and cache per request (production). `naive`: every load is its own
 * upstream call, no batching, no per-request cache; only for `npm run bench` to show what the
 * loaders save (GATEWAY_LOADERS=naive).
 */
export type LoaderMode = 'batched' | 'naive';

/** `new DataLoader(...)` as one request's loaders are built: in `naive` mode without batch or cache. */
export type LoaderFactory = <K, V, C = K>(
  batch: DataLoader.BatchLoadFn<K, V>,
  options?: DataLoader.Options<K, V, C>,
) => DataLoader<K, V, C>;

const settled = Promise.resolve();

/**
 * When one request's loaders send their batches. By default when DataLoader would (once the
 * promise jobs queued so far have run, so every field of a level has had its say); `now()` sends
 * whatever is waiting at once, for a resolver that has just queued every key a level will ask
 * for and should not wait while GraphQL completes the rest of the tree first.
 */
export class BatchSchedule {
  private readonly waiting = new Set<() => void>();

  readonly schedule = (dispatch: () => void): void => {
    this.waiting.add(dispatch);
    void settled.then(() => process.nextTick(() => this.run(dispatch)));
  };

  /**
   * Sends what is waiting; resolves once those calls have been written to their sockets (a caller
   * that went on at once would hold them back until its own work is done; see callsWritten).
   */
  now(): Promise<void> {
    for (const dispatch of [...this.waiting]) this.run(dispatch);
    return callsWritten();
  }

  /** A batch is sent once, whichever of `now()` and the default turn comes first. */
  private run(dispatch: () => void): void {
    if (this.waiting.delete(dispatch)) dispatch();
  }
}

export function loaderFactory(mode: LoaderMode, schedule = new BatchSchedule()): LoaderFactory {
  return (batch, options) =>
    new DataLoader(
      batch,
      mode === 'naive'
        ? { ...options, batch: false, cache: false }
        : { ...options, batchScheduleFn: schedule.schedule },
    );
}
