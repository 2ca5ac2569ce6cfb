import type { Upstreams } from '../../upstreams';
import { createAssetIncidentsLoader } from './asset-incidents';
import { createKataLoaders } from './kata.loaders';
import { createKscLoaders } from './ksc.loaders';
import { createMdrLoaders } from './mdr.loaders';
import { loaderFactory } from './loader-mode';
import type { LoaderMode } from './loader-mode';

/** Built per request (never shared): DataLoader caches must not outlive one caller's request. */
export function createLoaders(upstreams: Upstreams, mode: LoaderMode = 'batched') {
  const dataLoader = loaderFactory(mode);
  return {
    ...createMdrLoaders(upstreams, dataLoader),
    ...createKscLoaders(upstreams, dataLoader),
    ...createKataLoaders(upstreams, dataLoader),
    assetIncidents: createAssetIncidentsLoader(upstreams, dataLoader),
    /** Whether loads may be started early for fields asked further down (pointless without a cache). */
    prefetch: mode === 'batched',
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
