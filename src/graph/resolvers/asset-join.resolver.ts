import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';

import type { HostRecord } from '../../domain/ksc';
import type { AssetRecord } from '../../domain/mdr';
import type { SensorRecord } from '../../domain/sensor';
import type { Context } from '../context';
import { Asset } from '../types/asset.type';
import { Host } from '../types/host.type';
import { Sensor } from '../types/sensor.type';
import { visibleTo } from './mdr-scope';

/** Null when MDR is not configured (no error): the join is optional by nature. */
async function assetNamed(
  hostName: string | null | undefined,
  { upstreams, loaders, caller }: Context,
): Promise<AssetRecord | null> {
  if (!upstreams.mdr || !hostName) return null;
  const asset = await loaders.assetByHostName.load(hostName);
  return asset && visibleTo(caller, asset.tenantName) ? asset : null;
}

@Resolver(() => Host)
export class HostAssetResolver {
  @FieldResolver(() => Asset, {
    nullable: true,
    description: 'The MDR asset with the same host name (batched per page).',
  })
  asset(@Root() host: HostRecord, @Ctx() ctx: Context): Promise<AssetRecord | null> {
    return assetNamed(host.name, ctx);
  }
}

@Resolver(() => Sensor)
export class SensorAssetResolver {
  @FieldResolver(() => Asset, { nullable: true, description: 'The MDR asset on the same host (batched per page).' })
  asset(@Root() sensor: SensorRecord, @Ctx() ctx: Context): Promise<AssetRecord | null> {
    return assetNamed(sensor.hostName, ctx);
  }
}
