import type { AssetRecord } from '../../domain/mdr';
import type { Upstreams } from '../../upstreams';
import { createAssetIncidentsLoader } from './asset-incidents';
import { createContainmentLoader } from './containment.loaders';
import { createKataLoaders } from './kata.loaders';
import { createKscLoaders } from './ksc.loaders';
import { createMdrLoaders } from './mdr.loaders';
import { BatchSchedule, loaderFactory } from './loader-mode';
import type { LoaderMode } from './loader-mode';
import type { OperationReads } from './operation-reads';

/** Built per request (never shared): DataLoader caches must not outlive one caller's request. */
export function createLoaders(upstreams: Upstreams, mode: LoaderMode = 'batched') {
  const schedule = new BatchSchedule();
  const reads: OperationReads = {};
  const dataLoader = loaderFactory(mode, schedule);
  const assetFollowUps: ((assets: readonly AssetRecord[]) => void)[] = [];
  // The follow-ups queue their loads and they go out before the assets' own loads resolve: once
  // those resolve, GraphQL completes every asset's fields first, and undici writes a request only
  // after that work (see callsWritten).
  const assetsArrived = async (assets: readonly AssetRecord[]) => {
    if (assetFollowUps.length === 0) return;
    for (const followUp of assetFollowUps.splice(0)) followUp(assets);
    await schedule.now();
  };
  // Object.assign rather than spreads into one literal: V8 took about 25 µs a request for those
  // (measured; 8 µs this way), some 4 % of a one-call query's time in the gateway.
  const joins = Object.assign(
    createMdrLoaders(upstreams, dataLoader, assetsArrived, reads),
    createKscLoaders(upstreams, dataLoader, reads),
    createKataLoaders(upstreams, dataLoader),
  );
  return Object.assign(joins, createContainmentLoader(upstreams, joins, dataLoader), {
    assetIncidents: createAssetIncidentsLoader(upstreams, dataLoader),
    reads,
    /** Whether loads may be started early for fields asked further down (pointless without a cache). */
    prefetch: mode === 'batched',
    /**
     * Sends every batch queued so far now instead of after the rest of this level; resolves once
     * they are on the wire (see BatchSchedule).
     */
    dispatchNow: () => schedule.now(),
    /**
     * Runs `followUp` with the next answer of `assetByHostName`, before that answer reaches the
     * fields waiting on it: for loads that need the assets, such as their incidents.
     */
    whenAssetsArrive: (followUp: (assets: readonly AssetRecord[]) => void) => void assetFollowUps.push(followUp),
  });
}

export type Loaders = ReturnType<typeof createLoaders>;
