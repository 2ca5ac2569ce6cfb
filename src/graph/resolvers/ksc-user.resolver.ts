import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';

import type { KscUserRecord } from '../../domain/ksc';
import { BadInputError } from '../../errors/gateway-error';
import { requireUpstream } from '../../upstreams';
import type { ConnectionResult } from '../connections/connection';
import type { Context } from '../context';
import { KscUserFilter } from '../inputs/ksc.inputs';
import { HostUsers } from '../types/host-users.type';
import { KscUser, KscUserConnection } from '../types/ksc-user.type';
import { PageArgs } from './host.resolver';
import { emptyConnection, kscConnection } from './ksc-connection';

const MAX_IPS = 50;

@Resolver(() => KscUser)
export class KscUserResolver {
  @Query(() => KscUserConnection, {
    nullable: true,
    description: 'List Users: users KSC knows, optionally those of one host; an unknown host name gives no users.',
  })
  async kscUsers(
    @Arg('filter', () => KscUserFilter, { nullable: true }) filter: KscUserFilter | null,
    @Args() { first, after }: PageArgs,
    @Ctx() { upstreams, loaders }: Context,
  ): Promise<ConnectionResult<KscUserRecord>> {
    let hostId: string | null = null;
    if (filter?.hostName) {
      const host = await loaders.hostByName.load(filter.hostName);
      if (!host) return emptyConnection();
      hostId = host.hostId;
    }
    return kscConnection('ksc-users', first, after, (offset, count) =>
      requireUpstream(upstreams, 'ksc').findUsers({ hostId, userNames: filter?.userNames }, offset, count),
    );
  }

  @Query(() => [HostUsers], { description: 'Get User By IP: the users logged in on the hosts with these addresses.' })
  async usersByIp(
    @Arg('ipAddresses', () => [String]) ipAddresses: string[],
    @Ctx() { upstreams }: Context,
  ): Promise<HostUsers[]> {
    if (ipAddresses.length > MAX_IPS)
      throw new BadInputError(`At most ${MAX_IPS} addresses per call.`, { argument: 'ipAddresses' });
    const ksc = requireUpstream(upstreams, 'ksc');
    const hosts = await ksc.hostsByIps(ipAddresses);
    return Promise.all(
      ipAddresses.map(async (ipAddress) => {
        const host = hosts.find((h) => h.ipAddress === ipAddress.trim()) ?? null;
        return { ipAddress, host, users: host ? await ksc.usersOfHost(host.hostId) : [] };
      }),
    );
  }
}
