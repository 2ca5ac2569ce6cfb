import DataLoader from 'dataloader';

/**
 * `batched`: DataLoaders batch and cache per request (production). `naive`: every load is its own
 * upstream call, no batching, no per-request cache; only for `npm run bench` to show what the
 * loaders save (GATEWAY_LOADERS=naive).
 */
export type LoaderMode = 'batched' | 'naive';

let building: LoaderMode = 'batched';

/** Builds one request's loaders in `mode` (loader construction is synchronous). */
export function withLoaderMode<T>(mode: LoaderMode, build: () => T): T {
  const previous = building;
  building = mode;
  try {
    return build();
  } finally {
    building = previous;
  }
}

/** `new DataLoader(...)` that honours the mode of the loaders being built. */
export function dataLoader<K, V, C = K>(
  batch: DataLoader.BatchLoadFn<K, V>,
  options?: DataLoader.Options<K, V, C>,
): DataLoader<K, V, C> {
  return new DataLoader<K, V, C>(batch, building === 'naive' ? { ...options, batch: false, cache: false } : options);
}
