import { requireUpstream } from '../../upstreams';
import { asNode } from '../node-id';
import type { NodeFetchers } from '../node-fetchers';
import { HostGroupResolver } from './host-group.resolver';
import { HostResolver } from './host.resolver';
import { KscActionResolver } from './ksc-action.resolver';
import { KscEventResolver } from './ksc-event.resolver';
import { ExecutableFileResolver, QuarantinedFileResolver } from './ksc-file.resolver';
import { KscTaskResolver } from './ksc-task.resolver';
import { KscUserResolver } from './ksc-user.resolver';
import { SensorHostResolver } from './sensor-host.resolver';

/** Ksc resolver classes, in the order type-graphql should see them. */
export const kscResolvers: Function[] = [
  HostResolver,
  HostGroupResolver,
  KscEventResolver,
  KscUserResolver,
  KscTaskResolver,
  QuarantinedFileResolver,
  ExecutableFileResolver,
  KscActionResolver,
  SensorHostResolver,
];

/** node(id:) lookups for Ksc types. */
export const kscNodeFetchers: NodeFetchers = {
  Host: (hostId, ctx) => ctx.loaders.hostById.load(hostId),
  HostGroup: async (groupId, ctx) => (/^\d+$/.test(groupId) ? ctx.loaders.hostGroupById.load(Number(groupId)) : null),
  Event: async (eventId, ctx) =>
    /^\d+$/.test(eventId) ? requireUpstream(ctx.upstreams, 'ksc').eventById(Number(eventId)) : null,
  KscTask: async (taskId, ctx) => {
    const task = await ctx.loaders.kscTask.load(taskId);
    return task && asNode('KscTask', task);
  },
  ExecutableFile: async (key, ctx) => {
    const slash = key.lastIndexOf('/');
    if (slash <= 0) return null;
    return requireUpstream(ctx.upstreams, 'ksc').executableFile(key.slice(0, slash), key.slice(slash + 1));
  },
  QuarantinedFile: async (fileId, ctx) => {
    if (!/^\d+$/.test(fileId)) return null;
    const [file] = await requireUpstream(ctx.upstreams, 'ksc').quarantinedFilesByIds([Number(fileId)]);
    return file ?? null;
  },
};
