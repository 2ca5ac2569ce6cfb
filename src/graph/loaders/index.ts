import type { Upstreams } from '../../upstreams';
import { createAssetIncidentsLoader } from './asset-incidents';
import { createKataLoaders } from './kata.loaders';
import { createKscLoaders } from './ksc.loaders';
import { createMdrLoaders } from './mdr.loaders';
import { BatchSchedule, loaderFactory } from './loader-mode';
import type { LoaderMode } from './loader-mode';

/** Built per request (never shared): DataLoader caches must not outlive one caller's request. */
export function createLoaders(upstreams: Upstreams, mode: LoaderMode = 'batched') {
  const schedule = new BatchSchedule();
  const dataLoader = loaderFactory(mode, schedule);
  return {
    ...createMdrLoaders(upstreams, dataLoader),
    ...createKscLoaders(upstreams, dataLoader),
    ...createKataLoaders(upstreams, dataLoader),
    assetIncidents: createAssetIncidentsLoader(upstreams, dataLoader),
    /** Whether loads may be started early for fields asked further down (pointless without a cache). */
    prefetch: mode === 'batched',
    /**
     * Sends every batch queued so far now instead of after the rest of this level; resolves once
     * they are on the wire (see BatchSchedule).
     */
    dispatchNow: () => schedule.now(),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
