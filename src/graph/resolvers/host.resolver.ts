import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';

import type {
  ApplicationRecord,
  ExecutableFileRecord,
  HostGroupRecord,
  HostRecord,
  KscEventRecord,
  KscTaskRecord,
  KscUserRecord,
  OpenPortRecord,
  QuarantinedFileRecord,
} from '../../domain/ksc';
import type { SensorRecord } from '../../domain/sensor';
import { BadInputError } from '../../errors/gateway-error';
import { requireUpstream } from '../../upstreams';
import type { ConnectionResult } from '../connections/connection';
import type { Context } from '../context';
import { EventFilter, HostFilter } from '../inputs/ksc.inputs';
import { HostOrder, HostOrderField, OrderDirection } from '../inputs/order.inputs';
import { firstIncidentsAsk, firstIncidentsAskedAt } from '../loaders/asset-incidents';
import { asNode, toGlobalId } from '../node-id';
import { Application, Host, HostConnection, OpenPort } from '../types/host.type';
import { HostGroup } from '../types/host-group.type';
import { EventConnection, Event } from '../types/ksc-event.type';
import { ExecutableFileConnection, QuarantinedFileConnection } from '../types/ksc-file.type';
import { KscTask } from '../types/ksc-task.type';
import { KscUser } from '../types/ksc-user.type';
import { Sensor } from '../types/sensor.type';
import { incidentPartsOf } from './incident-parts';
import { kscConnection } from './ksc-connection';
import { connectionSelects, visibleTo } from './mdr-scope';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

/**
 * A page of hosts names what the joins below it look up (MDR asset and KATA sensor by host name,
 * the administration group by id): those calls go out as soon as the page has arrived, not after
 * GraphQL has completed every host's own fields; the assets' first incidents pages go out with
 * the assets' answer. The field resolvers find the answers in the same loaders; failures surface
 * there.
 */
async function prefetchHostJoins(
  hosts: readonly HostRecord[],
  { loaders, upstreams, caller }: Context,
  info: GraphQLResolveInfo,
): Promise<void> {
  if (!loaders.prefetch || hosts.length === 0) return;
  const ignore = () => undefined;
  let started = false;
  if (connectionSelects(info, 'group')) {
    for (const h of hosts) if (h.groupId !== null) loaders.hostGroupById.load(h.groupId).catch(ignore);
    started = true;
  }
  if (upstreams.mdr && connectionSelects(info, 'asset')) {
    for (const h of hosts) if (h.name) loaders.assetByHostName.load(h.name).catch(ignore);
    started = true;
    // The assets' incidents go out with the assets' answer, not after GraphQL has completed them.
    const incidents = [
      ...firstIncidentsAskedAt(info, 'nodes', 'asset'),
      ...firstIncidentsAskedAt(info, 'edges', 'node', 'asset'),
    ];
    if (incidents.length > 0) {
      const parts = incidentPartsOf(info);
      loaders.whenAssetsArrive((assets) => {
        const asks = incidents.flatMap(({ filter, first, withTotal }) => {
          const ask = firstIncidentsAsk(filter, first, caller, withTotal, parts);
          return ask ? [ask] : [];
        });
        for (const asset of assets) {
          if (!visibleTo(caller, asset.tenantName)) continue;
          for (const ask of asks) loaders.assetIncidents.load({ ...ask, assetId: asset.assetId }).catch(ignore);
        }
      });
    }
  }
  if (upstreams.kata && connectionSelects(info, 'sensor')) {
    for (const h of hosts) loaders.sensorByHostName.load(h.name).catch(ignore);
    started = true;
  }
  if (started) await loaders.dispatchNow();
}

@Resolver(() => Host)
export class HostResolver {
  @Query(() => HostConnection, {
    nullable: true,
    description:
      'List Hosts: KSC hosts, by display name (KLHST_WKS_DN) unless `orderBy` says otherwise (KSC sorts them).',
  })
  hosts(
    @Arg('filter', () => HostFilter, { nullable: true }) filter: HostFilter | null,
    @Args() { first, after }: PageArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('orderBy', () => HostOrder, { nullable: true }) orderBy: HostOrder | null = null,
  ): Promise<ConnectionResult<HostRecord>> {
    const order = {
      field: orderBy?.field === HostOrderField.LAST_SEEN ? ('lastVisible' as const) : ('name' as const),
      descending: orderBy?.direction === OrderDirection.DESC,
    };
    // Offset cursors count within one order: a cursor of another order is refused, not misread.
    const kind = orderBy ? `ksc-hosts/${order.field}:${order.descending ? 'desc' : 'asc'}` : 'ksc-hosts';
    return kscConnection(kind, first, after, async (offset, count) => {
      const ksc = requireUpstream(ctx.upstreams, 'ksc');
      const page = await ksc.findHosts(filter ?? {}, offset, count, ctx.loaders.reads.hostParts, order);
      await prefetchHostJoins(page.items, ctx, info);
      return page;
    });
  }

  @Query(() => Host, { nullable: true, description: 'One KSC host by KLHST_WKS_HOSTNAME; null when KSC has none.' })
  host(@Arg('hostId') hostId: string, @Ctx() { loaders }: Context): Promise<HostRecord | null> {
    return loaders.hostById.load(hostId);
  }

  @FieldResolver(() => ID)
  id(@Root() host: HostRecord): string {
    return toGlobalId('Host', host.hostId);
  }

  @FieldResolver(() => HostGroup, { nullable: true })
  group(@Root() host: HostRecord, @Ctx() { loaders }: Context): Promise<HostGroupRecord | null> | null {
    return host.groupId === null ? null : loaders.hostGroupById.load(host.groupId);
  }

  @FieldResolver(() => GraphQLJSON, {
    description: 'Get Host Status: the named KSC host attributes, as KSC returned them.',
  })
  attributes(
    @Root() host: HostRecord,
    @Arg('names', () => [String]) names: string[],
    @Ctx() { upstreams, loaders }: Context,
  ): Promise<Record<string, unknown>> {
    if (names.length === 0 || names.length > 100 || names.some((n) => !/^[A-Za-z_][A-Za-z0-9_ .-]{0,100}$/.test(n))) {
      throw new BadInputError('names: 1 to 100 KSC attribute names.', { argument: 'names' });
    }
    requireUpstream(upstreams, 'ksc');
    return loaders.hostAttributes.load(JSON.stringify([host.hostId, names]));
  }

  @FieldResolver(() => Sensor, {
    nullable: true,
    description: 'The KATA sensor on the same host, when KATA is configured.',
  })
  sensor(@Root() host: HostRecord, @Ctx() { upstreams, loaders }: Context): Promise<SensorRecord | null> | null {
    // A cross-source join is optional by nature: null (no error) when KATA is not configured.
    return upstreams.kata ? loaders.sensorByHostName.load(host.name) : null;
  }

  @FieldResolver(() => [Application], { description: "List Applications: the host's software inventory." })
  applications(@Root() host: HostRecord, @Ctx() { upstreams }: Context): Promise<ApplicationRecord[]> {
    return requireUpstream(upstreams, 'ksc').applications(host.hostId);
  }

  @FieldResolver(() => [OpenPort], { description: 'Get Open Ports.' })
  openPorts(@Root() host: HostRecord, @Ctx() { upstreams }: Context): Promise<OpenPortRecord[]> {
    return requireUpstream(upstreams, 'ksc').openPorts(host.hostId);
  }

  @FieldResolver(() => [KscTask], { description: 'List Host Tasks: every task that applies to this host.' })
  async tasks(@Root() host: HostRecord, @Ctx() { upstreams, loaders }: Context): Promise<KscTaskRecord[]> {
    const ids = await requireUpstream(upstreams, 'ksc').hostTaskIds(host.hostId);
    const tasks = await loaders.kscTask.loadMany(ids);
    return tasks.filter((t): t is KscTaskRecord => !!t && !(t instanceof Error)).map((t) => asNode('KscTask', t));
  }

  @FieldResolver(() => [KscUser], { description: 'List Users: the users logged in on this host.' })
  users(@Root() host: HostRecord, @Ctx() { upstreams }: Context): Promise<KscUserRecord[]> {
    return requireUpstream(upstreams, 'ksc').usersOfHost(host.hostId);
  }

  @FieldResolver(() => [Event], {
    description: 'Get Scan Result: events of the named scan task in the last `days` days (default 7).',
  })
  scanResults(
    @Root() host: HostRecord,
    @Arg('taskName') taskName: string,
    @Arg('days', () => Int, { nullable: true }) days: number | null,
    @Ctx() { upstreams }: Context,
  ): Promise<KscEventRecord[]> {
    const d = days ?? 7;
    if (!Number.isInteger(d) || d < 1 || d > 365)
      throw new BadInputError('days must be between 1 and 365.', { argument: 'days' });
    return requireUpstream(upstreams, 'ksc').scanResults(host.hostId, taskName, d);
  }

  @FieldResolver(() => EventConnection, { nullable: true })
  events(
    @Root() host: HostRecord,
    @Arg('filter', () => EventFilter, { nullable: true }) filter: EventFilter | null,
    @Args() { first, after }: PageArgs,
    @Ctx() { upstreams }: Context,
  ): Promise<ConnectionResult<KscEventRecord>> {
    const query = filter ?? { since: new Date(0) };
    return kscConnection('ksc-host-events', first, after, (offset, count) =>
      requireUpstream(upstreams, 'ksc').events(query, offset, count, host.hostId),
    );
  }

  @FieldResolver(() => QuarantinedFileConnection, { nullable: true })
  quarantinedFiles(
    @Root() host: HostRecord,
    @Arg('paths', () => [String], { nullable: true }) paths: string[] | null,
    @Args() { first, after }: PageArgs,
    @Ctx() { upstreams }: Context,
  ): Promise<ConnectionResult<QuarantinedFileRecord>> {
    return kscConnection('ksc-quarantine', first, after, (offset, count) =>
      requireUpstream(upstreams, 'ksc').quarantinedFiles({ hostId: host.hostId, paths }, offset, count),
    );
  }

  @FieldResolver(() => ExecutableFileConnection, { nullable: true })
  executableFiles(
    @Root() host: HostRecord,
    @Args() { first, after }: PageArgs,
    @Ctx() { upstreams }: Context,
  ): Promise<ConnectionResult<ExecutableFileRecord>> {
    return kscConnection('ksc-exe-files', first, after, (offset, count) =>
      requireUpstream(upstreams, 'ksc').executableFiles(host.hostId, offset, count),
    );
  }
}
