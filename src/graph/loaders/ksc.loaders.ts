import DataLoader from 'dataloader';

import type { HostGroupRecord, HostRecord, KscTaskRecord, TaskStatisticsRecord } from '../../domain/ksc';
import { requireUpstream } from '../../upstreams';
import type { Upstreams } from '../../upstreams';

/** KSC filters grow with every name; past this many, a batch is split into several FindHosts. */
const MAX_NAMES_PER_FILTER = 100;

/**
 * Per-request KSC loaders. Host lookups by name or id batch into one `FindHosts` with an OR filter
 * (plus its chunk and release calls), however many fields ask in the same tick.
 */
export function createKscLoaders(upstreams: Upstreams) {
  const ksc = () => requireUpstream(upstreams, 'ksc');
  return {
    /** Display names compare case-insensitively (NetBIOS/DNS names), as KSC's own filter does. */
    hostByName: new DataLoader<string, HostRecord | null>(
      async (names) => {
        const byName = new Map((await ksc().hostsByNames(names)).map((h) => [h.name.toLowerCase(), h]));
        return names.map((n) => byName.get(n.toLowerCase()) ?? null);
      },
      { maxBatchSize: MAX_NAMES_PER_FILTER, cacheKeyFn: (n) => n.toLowerCase() },
    ),
    hostById: new DataLoader<string, HostRecord | null>(
      async (ids) => {
        const byId = new Map((await ksc().hostsByIds(ids)).map((h) => [h.hostId, h]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      { maxBatchSize: MAX_NAMES_PER_FILTER },
    ),
    hostGroupById: new DataLoader<number, HostGroupRecord | null>(async (ids) => {
      const byId = new Map((await ksc().groupsByIds(ids)).map((g) => [g.groupId, g]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    kscTask: new DataLoader<string, KscTaskRecord | null>(async (ids) => Promise.all(ids.map((id) => ksc().task(id))), {
      batch: false,
    }),
    /** One GetTaskStatistics per task per request, shared by state, vendorState and statistics. */
    kscTaskStatistics: new DataLoader<string, TaskStatisticsRecord>(
      async (ids) => Promise.all(ids.map((id) => ksc().taskStatistics(id))),
      { batch: false },
    ),
  };
}
