import type { KscTaskRecord } from '../../domain/ksc';
import { NotFoundError } from '../../errors/gateway-error';
import type { KscClient } from '../../upstreams/ksc/client';
import { scopedView } from './scoped-view';
import type { TenantScope } from './tenant-scope';

/**
 * Security Center as a caller limited to tenants sees it: the tenants' administration groups go
 * into every host, group and event filter KSC is sent (so lists, counts and lookups only ever hold
 * the caller's), per-host calls first check the host is one of them, and writes naming another
 * tenant's host, task or file are NOT_FOUND before anything is sent.
 */
export function kscWithin(ksc: KscClient, scope: TenantScope): KscClient {
  const groups = () => scope.kscGroups();
  const hostChecks = new Map<string, Promise<boolean>>();
  const hostVisible = (hostId: string): Promise<boolean> => {
    let check = hostChecks.get(hostId);
    if (!check) {
      check = groups().then(async (ids) => (await ksc.hostsByIds([hostId], [], ids)).length > 0);
      hostChecks.set(hostId, check);
    }
    return check;
  };
  const mustSeeHosts = async (hostIds: readonly string[]) => {
    const found = new Set((await ksc.hostsByIds(hostIds, [], await groups())).map((h) => h.hostId));
    const missing = [...new Set(hostIds)].filter((id) => !found.has(id));
    if (missing.length) throw new NotFoundError('KSC has no such host.', { hostIds: missing });
  };
  const mustSeeHost = async (hostId: string) => {
    if (!(await hostVisible(hostId))) throw new NotFoundError('KSC has no such host.', { hostIds: [hostId] });
  };
  const taskVisible = async (task: KscTaskRecord): Promise<boolean> => {
    if (task.groupId !== null) return (await groups()).includes(task.groupId);
    const settings = await ksc.taskSettings(task.taskId);
    const hosts = Array.isArray(settings?.KLTSK_HOSTS) ? settings.KLTSK_HOSTS.map(String) : [];
    if (hosts.length === 0) return false;
    const mine = new Set(await scope.kscHostIds());
    return hosts.every((id) => mine.has(id));
  };
  const view: KscClient = scopedView<KscClient>(
    ksc,
    {
      withSignal: (signal) => kscWithin(ksc.withSignal(signal), scope),
      findHosts: async (query, offset, count, parts, order) =>
        ksc.findHosts({ ...query, withinGroups: await groups() }, offset, count, parts, order),
      hostsByNames: async (names, parts) => ksc.hostsByNames(names, parts, await groups()),
      hostsByIds: async (ids, parts) => ksc.hostsByIds(ids, parts, await groups()),
      hostsByIps: async (ips) => ksc.hostsByIps(ips, await groups()),
      hostsInGroups: async (ids) => {
        const mine = new Set(await groups());
        return ksc.hostsInGroups(ids.filter((id) => mine.has(id)));
      },
      hostAttributes: async (hostId, names) => {
        await mustSeeHost(hostId);
        return ksc.hostAttributes(hostId, names);
      },
      hostAttributesMany: async (hostIds, names) => ksc.hostAttributesMany(hostIds, names, await groups()),
      allGroups: async () => {
        const mine = new Set(await groups());
        return (await ksc.allGroups()).filter((g) => mine.has(g.groupId));
      },
      findGroups: async (query, offset, count) =>
        ksc.findGroups({ ...query, withinGroups: await groups() }, offset, count),
      groupsByIds: async (ids) => {
        const mine = new Set(await groups());
        return ksc.groupsByIds(ids.filter((id) => mine.has(id)));
      },
      findUsers: async (query, offset, count) => {
        if (query.hostId) {
          await mustSeeHost(query.hostId);
          return ksc.findUsers(query, offset, count);
        }
        return ksc.findUsers({ ...query, onHosts: await scope.kscHostIds() }, offset, count);
      },
      usersOfHost: async (hostId) => ((await hostVisible(hostId)) ? ksc.usersOfHost(hostId) : []),
      applications: async (hostId) => {
        await mustSeeHost(hostId);
        return ksc.applications(hostId);
      },
      openPorts: async (hostId) => {
        await mustSeeHost(hostId);
        return ksc.openPorts(hostId);
      },
      executableFiles: async (hostId, offset, count) => {
        if (typeof hostId === 'string') {
          await mustSeeHost(hostId);
          return ksc.executableFiles(hostId, offset, count);
        }
        const mine = await scope.kscHostIds();
        const wanted = hostId ? hostId.filter((id) => mine.includes(id)) : mine;
        return ksc.executableFiles(wanted, offset, count);
      },
      executableFile: async (hostId, fileId) =>
        (await hostVisible(hostId)) ? ksc.executableFile(hostId, fileId) : null,
      quarantinedFiles: async (query, offset, count) => {
        if (query.hostId) {
          await mustSeeHost(query.hostId);
          return ksc.quarantinedFiles(query, offset, count);
        }
        return ksc.quarantinedFiles({ ...query, onHosts: await scope.kscHostIds() }, offset, count);
      },
      quarantinedFilesByIds: async (ids) => {
        const mine = new Set(await scope.kscHostIds());
        return (await ksc.quarantinedFilesByIds(ids)).filter((f) => f.hostId !== null && mine.has(f.hostId));
      },
      quarantineAction: async (ids, action) => {
        const found = new Set((await view.quarantinedFilesByIds(ids)).map((f) => f.fileId));
        const missing = [...new Set(ids)].filter((id) => !found.has(id));
        if (missing.length) throw new NotFoundError('KSC has no such quarantined file.', { fileIds: missing });
        return ksc.quarantineAction(ids, action);
      },
      hostTaskIds: async (hostId) => ((await hostVisible(hostId)) ? ksc.hostTaskIds(hostId) : []),
      task: async (taskId) => {
        const task = await ksc.task(taskId);
        return task && (await taskVisible(task)) ? task : null;
      },
      taskSettings: async (taskId) => ((await view.task(taskId)) ? ksc.taskSettings(taskId) : null),
      taskStatistics: async (taskId) => {
        if (!(await view.task(taskId))) throw new NotFoundError('KSC has no such task.');
        return ksc.taskStatistics(taskId);
      },
      taskHistory: async (taskId, offset, count) => {
        if (!(await view.task(taskId))) throw new NotFoundError('KSC has no such task.');
        return ksc.taskHistory(taskId, offset, count);
      },
      runHostTask: async (kind, hostIds, options) => {
        await mustSeeHosts(hostIds);
        return ksc.runHostTask(kind, hostIds, options);
      },
      events: async (query, offset, count, hostId) => {
        if (hostId) await mustSeeHost(hostId);
        return ksc.events({ ...query, withinGroups: await groups() }, offset, count, hostId);
      },
      eventById: async (eventId) => ksc.eventById(eventId, await groups()),
      scanResults: async (hostId, taskName, days) =>
        (await hostVisible(hostId)) ? ksc.scanResults(hostId, taskName, days) : [],
    },
    ['ping', 'settled', 'close'],
  );
  return view;
}
