import type { ContainmentRecord, ContainmentSourceRecord } from '../../domain/containment';
import type { KscTaskRecord } from '../../domain/ksc';
import type { Upstreams } from '../../upstreams';
import { requireUpstream } from '../../upstreams';
import type { createKataLoaders } from './kata.loaders';
import type { createKscLoaders } from './ksc.loaders';
import type { LoaderFactory } from './loader-mode';
import type { createMdrLoaders } from './mdr.loaders';

type Joins = ReturnType<typeof createMdrLoaders> &
  ReturnType<typeof createKscLoaders> &
  ReturnType<typeof createKataLoaders>;

/** KSC task types that set or end a host's network isolation (the tasks isolateHosts and unisolateHosts create). */
const ISOLATION_TASKS = new Map([
  ['KLEDR_NetworkIsolation', true],
  ['KLEDR_NetworkIsolationOff', false],
]);

const latest = (dates: (Date | null | undefined)[]): Date | null =>
  dates.reduce<Date | null>((a, d) => (d && (!a || d > a) ? d : a), null);

/**
 * One containment per host name, for Host and Asset alike: every source's lookups go through the
 * request's batched joins (one assets/list, one FindHosts, one GET sensors for a whole page); what
 * no product answers in bulk (a host's KSC tasks, a sensor's isolation rule) is one call per host.
 */
export function createContainmentLoader(upstreams: Upstreams, joins: Joins, dataLoader: LoaderFactory) {
  const kscIsolation = async (hostId: string): Promise<ContainmentSourceRecord> => {
    const ksc = requireUpstream(upstreams, 'ksc');
    const tasks = (await joins.kscTask.loadMany(await ksc.hostTaskIds(hostId))).filter(
      (t): t is KscTaskRecord => !!t && !(t instanceof Error) && ISOLATION_TASKS.has(t.typeName ?? ''),
    );
    // Task ids grow with creation: the newest finished one decides, one still under way does not yet.
    tasks.sort((a, b) => Number(b.taskId) - Number(a.taskId));
    for (const task of tasks) {
      const stats = await joins.kscTaskStatistics.load(task.taskId);
      if (stats.state !== 'COMPLETED') continue;
      const isolates = ISOLATION_TASKS.get(task.typeName ?? '')!;
      return {
        upstream: 'KSC',
        isolated: isolates,
        vendorState: stats.vendorState,
        task,
        autoReleaseAfterSeconds: null,
      };
    }
    return {
      upstream: 'KSC',
      isolated: false,
      vendorState: 'No network isolation task completed',
      task: null,
      autoReleaseAfterSeconds: null,
    };
  };

  const containmentOf = async (name: string): Promise<ContainmentRecord> => {
    const [asset, host, sensor] = await Promise.all([
      upstreams.mdr ? joins.assetByHostName.load(name) : null,
      upstreams.ksc ? joins.hostByName.load(name) : null,
      upstreams.kata ? joins.sensorByHostName.load(name) : null,
    ]);
    const [ksc, kata] = await Promise.all([
      host ? kscIsolation(host.hostId) : null,
      sensor ? requireUpstream(upstreams, 'kata').isolation(sensor.sensorId) : null,
    ]);
    const sources: ContainmentSourceRecord[] = [];
    if (asset)
      sources.push({
        upstream: 'MDR',
        isolated: asset.isIsolated,
        vendorState: asset.isIsolated ? 'Isolated' : 'Not isolated',
        task: null,
        autoReleaseAfterSeconds: null,
      });
    if (ksc) sources.push(ksc);
    if (sensor)
      sources.push({
        upstream: 'KATA',
        isolated: kata !== null,
        vendorState: kata ? 'Isolation rule set' : 'No isolation rule',
        task: null,
        autoReleaseAfterSeconds: kata?.autoTurnoffTimeoutSeconds ?? null,
      });
    return {
      isolated: sources.some((s) => s.isolated),
      sources,
      agentOnline: host ? host.online : null,
      lastSeen: latest([host?.lastVisible, sensor?.lastAccessTime, asset?.lastSeen]),
    };
  };

  return {
    containmentByHostName: dataLoader<string, ContainmentRecord>((names) => Promise.all(names.map(containmentOf)), {
      cacheKeyFn: (n) => n.toLowerCase(),
    }),
  };
}
