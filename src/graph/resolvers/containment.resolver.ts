import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';

import type { ContainmentRecord } from '../../domain/containment';
import type { HostRecord } from '../../domain/ksc';
import type { AssetRecord } from '../../domain/mdr';
import type { Context } from '../context';
import { asNode } from '../node-id';
import { Asset } from '../types/asset.type';
import { Containment } from '../types/containment.type';
import { Host } from '../types/host.type';

const DESCRIPTION = 'Network isolation by MDR, KSC and KATA (joined by host name, batched per page).';

async function containmentOf(hostName: string, { loaders }: Context): Promise<ContainmentRecord> {
  const c = await loaders.containmentByHostName.load(hostName);
  return { ...c, sources: c.sources.map((s) => ({ ...s, task: s.task && asNode('KscTask', s.task) })) };
}

@Resolver(() => Host)
export class HostContainmentResolver {
  @FieldResolver(() => Containment, { description: DESCRIPTION })
  containment(@Root() host: HostRecord, @Ctx() ctx: Context): Promise<ContainmentRecord> {
    // The host is at hand: its own lookup by name needs no second FindHosts.
    ctx.loaders.hostByName.prime(host.name, host);
    return containmentOf(host.name, ctx);
  }
}

@Resolver(() => Asset)
export class AssetContainmentResolver {
  @FieldResolver(() => Containment, { description: DESCRIPTION })
  containment(@Root() asset: AssetRecord, @Ctx() ctx: Context): Promise<ContainmentRecord> {
    ctx.loaders.assetByHostName.prime(asset.hostName, asset);
    return containmentOf(asset.hostName, ctx);
  }
}
