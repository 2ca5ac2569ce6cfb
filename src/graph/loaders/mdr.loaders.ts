import type { LoaderFactory } from './loader-mode';
import type { OperationReads } from './operation-reads';

import type { AssetRecord, CommentRecord, IncidentRecord, ResponseRecord } from '../../domain/mdr';
import { requireUpstream } from '../../upstreams';
import type { Upstreams } from '../../upstreams';

/**
 * Per-request MDR loaders. Only host names batch upstream (assets/list takes `host_names`); MDR
 * has no multi-id lookup for the rest, so those loaders dedupe and cache within the request.
 */
export function createMdrLoaders(
  upstreams: Upstreams,
  dataLoader: LoaderFactory,
  /** Awaited with each assets/list answer of `assetByHostName` before its loads resolve. */
  assetsArrived: (assets: readonly AssetRecord[]) => Promise<void> = async () => undefined,
  /** What the operation reads: asset joins ask MDR for those parts only. */
  reads: OperationReads = {},
) {
  const mdr = () => requireUpstream(upstreams, 'mdr');
  const one = <K, V>(fn: (key: K) => Promise<V>) =>
    dataLoader<K, V>((keys) => Promise.all(keys.map((k) => fn(k).catch((e: Error) => e))) as Promise<(V | Error)[]>);
  return {
    /** Keys compared case-insensitively, as MDR matches host names. */
    assetByHostName: dataLoader<string, AssetRecord | null>(
      async (names) => {
        // A failed answer still ends the waiting follow-ups (with no assets): they were for this one.
        const assets = await mdr()
          .assetsByHostNames(names, { parts: reads.assetParts })
          .catch(async (error: unknown) => {
            await assetsArrived([]);
            throw error;
          });
        await assetsArrived(assets);
        const byName = new Map(assets.map((a) => [a.hostName.toLowerCase(), a]));
        return names.map((name) => byName.get(name.toLowerCase()) ?? null);
      },
      { maxBatchSize: 500 },
    ),
    assetById: one((id: string) => mdr().asset(id)),
    incidentById: one((id: string) => mdr().incident(id)),
    incidentHtmlById: one((id: string) => mdr().incident(id, true)),
    responsesByIncident: one((id: string): Promise<ResponseRecord[]> => mdr().responses(id, 1, 1_000)),
    commentsByIncident: one((key: string): Promise<CommentRecord[]> => {
      const [id, format] = key.split('\n');
      return mdr().comments(id!, format === 'html');
    }),
  };
}

export type MdrLoaders = ReturnType<typeof createMdrLoaders>;
export type { IncidentRecord };
