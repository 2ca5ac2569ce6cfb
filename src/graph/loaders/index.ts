import type { Upstreams } from '../../upstreams';
import { createAssetIncidentsLoader } from './asset-incidents';
import { createKataLoaders } from './kata.loaders';
import { createKscLoaders } from './ksc.loaders';
import { createMdrLoaders } from './mdr.loaders';
import { withLoaderMode } from './loader-mode';
import type { LoaderMode } from './loader-mode';

/** Built per request (never shared): DataLoader caches must not outlive one caller's request. */
export function createLoaders(upstreams: Upstreams, mode: LoaderMode = 'batched') {
  return withLoaderMode(mode, () => ({
    ...createMdrLoaders(upstreams),
    ...createKscLoaders(upstreams),
    ...createKataLoaders(upstreams),
    assetIncidents: createAssetIncidentsLoader(upstreams),
    /** Whether loads may be started early for fields asked further down (pointless without a cache). */
    prefetch: mode === 'batched',
  }));
}

export type Loaders = ReturnType<typeof createLoaders>;
