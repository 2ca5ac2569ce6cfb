import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';

import type { HostRecord, HostTaskKind, QuarantinedFileRecord } from '../../domain/ksc';
import { BadInputError, NotFoundError } from '../../errors/gateway-error';
import { requireUpstream } from '../../upstreams';
import type { Context } from '../context';
import {
  IsolateHostsInput,
  QuarantineFilesInput,
  QuarantinedFilesInput,
  ScanHostsInput,
  UnisolateHostsInput,
} from '../inputs/ksc.inputs';
import { asNode } from '../node-id';
import { HostActionPayload, QuarantineActionPayload } from '../types/ksc-action.type';

const MAX_TARGETS = 500;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function checkList(values: readonly unknown[], argument: string, max = MAX_TARGETS): void {
  if (values.length === 0 || values.length > max)
    throw new BadInputError(`${argument}: 1 to ${max} values.`, { argument });
}

function checkDisplayName(name: string): void {
  if (!name.trim() || name.length > 100)
    throw new BadInputError('displayName: 1 to 100 characters.', { argument: 'displayName' });
}

/** Host names or IPv4 addresses (as the SOAR commands accept) → hosts; any unknown one fails the call before anything is written. */
async function resolveHostNames(ctx: Context, names: readonly string[]): Promise<HostRecord[]> {
  const ksc = requireUpstream(ctx.upstreams, 'ksc');
  const ips = names.filter((n) => IPV4.test(n.trim()));
  const dns = names.filter((n) => !IPV4.test(n.trim()));
  const [byName, byIp] = await Promise.all([
    Promise.all(dns.map((n) => ctx.loaders.hostByName.load(n))),
    ksc.hostsByIps(ips),
  ]);
  const hosts: HostRecord[] = [];
  dns.forEach((n, i) => {
    if (!byName[i]) throw new NotFoundError(`KSC: Unknown name of device '${n}'.`);
    hosts.push(byName[i]!);
  });
  for (const ip of ips) {
    const host = byIp.find((h) => h.ipAddress === ip.trim());
    if (!host) throw new NotFoundError(`KSC: Unknown name of device '${ip}'.`);
    hosts.push(host);
  }
  return [...new Map(hosts.map((h) => [h.hostId, h])).values()];
}

async function resolveHostIds(ctx: Context, ids: readonly string[]): Promise<HostRecord[]> {
  const hosts = await Promise.all(ids.map((id) => ctx.loaders.hostById.load(id)));
  const missing = ids.find((_, i) => !hosts[i]);
  if (missing !== undefined) throw new NotFoundError(`KSC: Unknown name of device '${missing}'.`);
  return [...new Map(hosts.map((h) => [h!.hostId, h!])).values()];
}

async function runTask(
  ctx: Context,
  kind: HostTaskKind,
  hosts: HostRecord[],
  options: Parameters<ReturnType<typeof requireUpstream<'ksc'>>['runHostTask']>[2],
): Promise<HostActionPayload> {
  const ksc = requireUpstream(ctx.upstreams, 'ksc');
  const taskId = await ksc.runHostTask(
    kind,
    hosts.map((h) => h.hostId),
    options,
  );
  const task = await ctx.loaders.kscTask.load(taskId);
  return { task: task && asNode('KscTask', task), hosts };
}

async function filesByIds(ctx: Context, ids: readonly number[]): Promise<QuarantinedFileRecord[]> {
  const files = await requireUpstream(ctx.upstreams, 'ksc').quarantinedFilesByIds(ids);
  const missing = ids.find((id) => !files.some((f) => f.fileId === id));
  if (missing !== undefined) throw new NotFoundError(`KSC: Wrong identificator of the list's item (${missing}).`);
  return ids.map((id) => files.find((f) => f.fileId === id)!);
}

const stamp = () => new Date().toISOString().slice(0, 19).replace('T', ' ');

@Resolver()
export class KscActionResolver {
  @Mutation(() => HostActionPayload, {
    description: 'Isolate Hosts: cut the hosts off the network (Kaspersky Endpoint Agent), optionally for a while.',
  })
  async isolateHosts(@Arg('input') input: IsolateHostsInput, @Ctx() ctx: Context): Promise<HostActionPayload> {
    checkList(input.hostIds, 'hostIds');
    if (
      input.timeoutMinutes != null &&
      (!Number.isInteger(input.timeoutMinutes) || input.timeoutMinutes < 1 || input.timeoutMinutes > 10_080)
    ) {
      throw new BadInputError('timeoutMinutes must be between 1 and 10080.', { argument: 'timeoutMinutes' });
    }
    const hosts = await resolveHostIds(ctx, input.hostIds);
    return runTask(ctx, 'isolate', hosts, {
      displayName: `Isolate hosts (gateway) ${stamp()}`,
      timeoutMinutes: input.timeoutMinutes,
    });
  }

  @Mutation(() => HostActionPayload, { description: "Unisolate Hosts: restore the hosts' network connectivity." })
  async unisolateHosts(@Arg('input') input: UnisolateHostsInput, @Ctx() ctx: Context): Promise<HostActionPayload> {
    checkList(input.hostIds, 'hostIds');
    const hosts = await resolveHostIds(ctx, input.hostIds);
    return runTask(ctx, 'unisolate', hosts, { displayName: `Unisolate hosts (gateway) ${stamp()}` });
  }

  @Mutation(() => HostActionPayload, {
    description: 'Scan Hosts: create and start a scan task on the hosts (names or IPv4 addresses).',
  })
  async scanHosts(@Arg('input') input: ScanHostsInput, @Ctx() ctx: Context): Promise<HostActionPayload> {
    checkList(input.hostNames, 'hostNames');
    checkDisplayName(input.displayName);
    const hosts = await resolveHostNames(ctx, input.hostNames);
    return runTask(ctx, 'scan', hosts, { displayName: input.displayName, scanType: input.scanType });
  }

  @Mutation(() => HostActionPayload, {
    description: 'Quarantine Files: move the files (full paths) to quarantine on every listed host.',
  })
  async quarantineFiles(@Arg('input') input: QuarantineFilesInput, @Ctx() ctx: Context): Promise<HostActionPayload> {
    checkList(input.hostNames, 'hostNames');
    checkList(input.paths, 'paths', 100);
    checkDisplayName(input.displayName);
    if (input.paths.some((p) => !p.trim() || p.length > 1024))
      throw new BadInputError('paths: full file paths, at most 1024 characters each.', { argument: 'paths' });
    const hosts = await resolveHostNames(ctx, input.hostNames);
    return runTask(ctx, 'quarantine', hosts, { displayName: input.displayName, paths: input.paths });
  }

  @Mutation(() => QuarantineActionPayload, { description: 'Scan Quarantined Files.' })
  async scanQuarantinedFiles(
    @Arg('input') input: QuarantinedFilesInput,
    @Ctx() ctx: Context,
  ): Promise<QuarantineActionPayload> {
    checkList(input.fileIds, 'fileIds');
    const files = await filesByIds(ctx, input.fileIds);
    await requireUpstream(ctx.upstreams, 'ksc').quarantineAction(input.fileIds, 'ScanQuarantine');
    return { files: files.map((f) => asNode('QuarantinedFile', f)) };
  }

  @Mutation(() => QuarantineActionPayload, { description: 'Unquarantine Files: restore the files from quarantine.' })
  async restoreQuarantinedFiles(
    @Arg('input') input: QuarantinedFilesInput,
    @Ctx() ctx: Context,
  ): Promise<QuarantineActionPayload> {
    checkList(input.fileIds, 'fileIds');
    const files = await filesByIds(ctx, input.fileIds);
    await requireUpstream(ctx.upstreams, 'ksc').quarantineAction(input.fileIds, 'RestoreObj');
    return { files: files.map((f) => asNode('QuarantinedFile', f)) };
  }
}
