import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';

import type { HostGroupRecord, HostRecord } from '../../domain/ksc';
import { requireUpstream } from '../../upstreams';
import type { ConnectionResult } from '../connections/connection';
import type { Context } from '../context';
import { HostGroupFilter } from '../inputs/ksc.inputs';
import { toGlobalId } from '../node-id';
import { HostConnection } from '../types/host.type';
import { HostGroup, HostGroupConnection } from '../types/host-group.type';
import { PageArgs } from './host.resolver';
import { kscConnection } from './ksc-connection';

@Resolver(() => HostGroup)
export class HostGroupResolver {
  @Query(() => HostGroupConnection, { nullable: true, description: 'List Groups: KSC administration groups.' })
  hostGroups(
    @Arg('filter', () => HostGroupFilter, { nullable: true }) filter: HostGroupFilter | null,
    @Args() { first, after }: PageArgs,
    @Ctx() { upstreams }: Context,
  ): Promise<ConnectionResult<HostGroupRecord>> {
    return kscConnection('ksc-groups', first, after, (offset, count) =>
      requireUpstream(upstreams, 'ksc').findGroups(filter ?? {}, offset, count),
    );
  }

  @FieldResolver(() => ID)
  id(@Root() group: HostGroupRecord): string {
    return toGlobalId('HostGroup', group.groupId);
  }

  @FieldResolver(() => HostGroup, { nullable: true })
  parent(@Root() group: HostGroupRecord, @Ctx() { loaders }: Context): Promise<HostGroupRecord | null> | null {
    return group.parentId === null ? null : loaders.hostGroupById.load(group.parentId);
  }

  @FieldResolver(() => HostConnection, { nullable: true, description: 'Hosts directly in this group.' })
  hosts(
    @Root() group: HostGroupRecord,
    @Args() { first, after }: PageArgs,
    @Ctx() { upstreams, loaders }: Context,
  ): Promise<ConnectionResult<HostRecord>> {
    return kscConnection('ksc-hosts', first, after, (offset, count) =>
      requireUpstream(upstreams, 'ksc').findHosts({ groupId: group.groupId }, offset, count, loaders.reads.hostParts),
    );
  }
}
