import type { LoaderFactory } from './loader-mode';
import type { OperationReads } from './operation-reads';

import type { HostGroupRecord, HostRecord, KscTaskRecord, TaskStatisticsRecord } from '../../domain/ksc';
import { requireUpstream } from '../../upstreams';
import type { Upstreams } from '../../upstreams';

/** KSC filters grow with every name; past this many, a batch is split into several FindHosts. */
const MAX_NAMES_PER_FILTER = 100;

/**
 * Per-request KSC loaders. Host lookups by name or id batch into one `FindHosts` with an OR filter
 * (plus its chunk and release calls), however many fields ask in the same tick. Host records hold
 * the parts the operation reads (`reads`).
 */
export function createKscLoaders(upstreams: Upstreams, dataLoader: LoaderFactory, reads: OperationReads) {
  const ksc = () => requireUpstream(upstreams, 'ksc');
  return {
    /** Display names compare case-insensitively (NetBIOS/DNS names), as KSC's own filter does. */
    hostByName: dataLoader<string, HostRecord | null>(
      async (names) => {
        const byName = new Map(
          (await ksc().hostsByNames(names, reads.hostParts)).map((h) => [h.name.toLowerCase(), h]),
        );
        return names.map((n) => byName.get(n.toLowerCase()) ?? null);
      },
      { maxBatchSize: MAX_NAMES_PER_FILTER, cacheKeyFn: (n) => n.toLowerCase() },
    ),
    hostById: dataLoader<string, HostRecord | null>(
      async (ids) => {
        const byId = new Map((await ksc().hostsByIds(ids, reads.hostParts)).map((h) => [h.hostId, h]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      { maxBatchSize: MAX_NAMES_PER_FILTER },
    ),
    /**
     * Host.attributes(names): one host → GetHostInfo; several hosts asking for the same names in
     * one tick → one FindHosts returning those attributes for all of them.
     */
    hostAttributes: dataLoader<string, Record<string, unknown>>(
      async (keys) => {
        const groups = new Map<string, string[]>();
        for (const key of keys) {
          const [hostId, names] = JSON.parse(key) as [string, string[]];
          const sig = JSON.stringify(names);
          groups.set(sig, [...(groups.get(sig) ?? []), hostId]);
        }
        const results = new Map<string, Record<string, unknown>>();
        await Promise.all(
          [...groups].map(async ([sig, hostIds]) => {
            const names = JSON.parse(sig) as string[];
            if (hostIds.length === 1) {
              results.set(JSON.stringify([hostIds[0], names]), await ksc().hostAttributes(hostIds[0]!, names));
              return;
            }
            const byId = await ksc().hostAttributesMany(hostIds, names);
            for (const id of hostIds) results.set(JSON.stringify([id, names]), byId.get(id) ?? {});
          }),
        );
        return keys.map((k) => results.get(k) ?? {});
      },
      { maxBatchSize: MAX_NAMES_PER_FILTER },
    ),
    hostGroupById: dataLoader<number, HostGroupRecord | null>(async (ids) => {
      const byId = new Map((await ksc().groupsByIds(ids)).map((g) => [g.groupId, g]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    kscTask: dataLoader<string, KscTaskRecord | null>(async (ids) => Promise.all(ids.map((id) => ksc().task(id))), {
      batch: false,
    }),
    /** One GetTaskStatistics per task per request, shared by state, vendorState and statistics. */
    kscTaskStatistics: dataLoader<string, TaskStatisticsRecord>(
      async (ids) => Promise.all(ids.map((id) => ksc().taskStatistics(id))),
      { batch: false },
    ),
  };
}
