import DataLoader from 'dataloader';

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

export function loaderFactory(mode: LoaderMode): LoaderFactory {
  return (batch, options) =>
    new DataLoader(batch, mode === 'naive' ? { ...options, batch: false, cache: false } : options);
}
