import { setImmediate as nextTurn } from 'node:timers/promises';

import type { LoaderFactory } from './loader-mode';

import type { SensorRecord } from '../../domain/sensor';
import { requireUpstream } from '../../upstreams';
import type { Upstreams } from '../../upstreams';

/**
 * Per-request KATA loaders. KATA filters sensors by one host at a time, so rather than N filtered
 * calls every join reads one unfiltered `GET sensors`, fetched at most once per request.
 */
export function createKataLoaders(upstreams: Upstreams, dataLoader: LoaderFactory) {
  let all: Promise<SensorRecord[]> | undefined;
  const allSensors = (): Promise<SensorRecord[]> => {
    all ??= requireUpstream(upstreams, 'kata').listSensors();
    // A failed read is not cached: a later field in the same request may try again.
    all.catch(() => (all = undefined));
    return all;
  };
  /**
   * For joins the list is asked for one turn later, so the calls queued beside it go out first: it
   * is one large answer no further call waits on, while theirs often lead to more calls (KSC's
   * FindHosts to its chunk). Sent after them, it is answered after them and read after them. One
   * turn only: undici writes those calls in the next check phase, and this call right after them,
   * before the GraphQL work that resumes with them.
   */
  const allSensorsAfterTheRest = async (): Promise<SensorRecord[]> => {
    if (!all) await nextTurn();
    return allSensors();
  };
  const index = async <K>(key: (s: SensorRecord) => K | null) => {
    const map = new Map<K, SensorRecord>();
    for (const s of await allSensorsAfterTheRest()) {
      const k = key(s);
      if (k !== null && !map.has(k)) map.set(k, s);
    }
    return map;
  };

  return {
    allSensors,
    /** Host names compare case-insensitively (NetBIOS/DNS names), unlike KATA's own host filter. */
    sensorByHostName: dataLoader<string, SensorRecord | null>(async (names) => {
      const byName = await index((s) => s.hostName?.toLowerCase() ?? null);
      return names.map((n) => byName.get(n.toLowerCase()) ?? null);
    }),
    sensorById: dataLoader<string, SensorRecord | null>(async (ids) => {
      // One id and no list yet: a filtered call is cheaper than the whole list.
      if (ids.length === 1 && !all) return [await requireUpstream(upstreams, 'kata').sensor(ids[0]!)];
      const byId = await index((s) => s.sensorId.toUpperCase());
      return ids.map((id) => byId.get(id.toUpperCase()) ?? null);
    }),
  };
}
