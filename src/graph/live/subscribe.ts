import type { Logged } from './change-log';
import type { PollingFeed } from './polling-feed';

/**
 * A subscriber's view of a feed: what it missed since `cursor` (nothing without one), then each
 * new change as it comes, mapped to the payloads it wants (none, one or several per change). The
 * feed polls while at least one such iterator is open; ending it (the client unsubscribes or goes
 * away) lets the feed go at once, even while it waits for the next change.
 */
export function changesOf<T, P>(
  feed: PollingFeed<T>,
  cursor: string | null,
  payloads: (change: T, cursor: string) => P[],
): AsyncIterableIterator<P> {
  const ready: P[] = [];
  let waiting: ((result: IteratorResult<P>) => void) | undefined;
  let done = false;
  let last = 0;
  const take = (entry: Logged<T>) => {
    if (entry.seq <= last) return;
    last = entry.seq;
    ready.push(...payloads(entry.change, feed.log.cursor(entry)));
    if (waiting && ready.length) {
      const resolve = waiting;
      waiting = undefined;
      resolve({ value: ready.shift()!, done: false });
    }
  };
  const missed = feed.log.since(cursor);
  const stopListening = feed.log.listen(take);
  const release = feed.acquire();
  missed.forEach(take);
  const finish = (): IteratorResult<P> => {
    if (!done) {
      done = true;
      stopListening();
      release();
      waiting?.({ value: undefined, done: true });
      waiting = undefined;
    }
    return { value: undefined, done: true };
  };
  return {
    next: () =>
      Promise.resolve(
        done
          ? finish()
          : ready.length
            ? { value: ready.shift()!, done: false }
            : new Promise<IteratorResult<P>>((resolve) => (waiting = resolve)),
      ),
    return: () => Promise.resolve(finish()),
    throw: (error: unknown) => {
      finish();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
