import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';

import type { AssetRecord, IncidentRecord } from '../../domain/mdr';
import { requireUpstream } from '../../upstreams';
import type { ConnectionResult } from '../connections/connection';
import { connectionFromWindow } from '../connections/connection';
import { offsetAfter } from '../connections/cursor';
import { pageSize, pagesForWindow } from '../connections/page-window';
import type { Context } from '../context';
import { AssetFilter, IncidentFilter } from '../inputs/mdr.inputs';
import { toGlobalId } from '../node-id';
import { Asset, AssetConnection } from '../types/asset.type';
import { Host } from '../types/host.type';
import { IncidentConnection } from '../types/incident.type';
import { Sensor } from '../types/sensor.type';
import { firstIncidentsOfAsset } from '../loaders/asset-incidents';
import { listIncidents } from './incident.resolver';
import { given, scopeTenants, selects, visibleTo } from './mdr-scope';

const KIND = 'mdr-assets';

@Resolver(() => Asset)
export class AssetResolver {
  @Query(() => AssetConnection, {
    nullable: true,
    description: 'MDR assets, oldest first (first seen). Costs one MDR call, two with totalCount.',
  })
  async assets(
    @Arg('filter', () => AssetFilter, { nullable: true }) filter: AssetFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { upstreams, caller }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionResult<AssetRecord>> {
    const count = pageSize(first);
    const offset = offsetAfter(KIND, after);
    const tenantNames = scopeTenants(caller, filter?.tenantNames);
    if (tenantNames?.length === 0) return connectionFromWindow(KIND, [], offset, count, 0);
    const mdr = requireUpstream(upstreams, 'mdr');
    const query = { ...given(filter), tenantNames };
    const [pages, total] = await Promise.all([
      Promise.all(
        pagesForWindow(offset, count, 10_000).map(async (p) =>
          (await mdr.listAssets(query, p.page, p.pageSize)).slice(p.skip),
        ),
      ),
      selects(info, 'totalCount') ? mdr.countAssets(query) : Promise.resolve(undefined),
    ]);
    return connectionFromWindow(KIND, pages.flat().slice(0, count + 1), offset, count, total);
  }

  @Query(() => Asset, {
    nullable: true,
    description: 'One MDR asset; null when it does not exist or is outside your tenants.',
  })
  async asset(
    @Arg('assetId', () => String) assetId: string,
    @Ctx() { loaders, caller }: Context,
  ): Promise<AssetRecord | null> {
    const asset = await loaders.assetById.load(assetId);
    return asset && visibleTo(caller, asset.tenantName) ? asset : null;
  }

  @FieldResolver(() => ID)
  id(@Root() asset: AssetRecord): string {
    return toGlobalId('Asset', asset.assetId);
  }

  @FieldResolver(() => Host, {
    nullable: true,
    description: 'The KSC host with the same name, when KSC is configured.',
  })
  host(@Root() asset: AssetRecord, @Ctx() { upstreams, loaders }: Context) {
    return upstreams.ksc ? loaders.hostByName.load(asset.hostName) : null;
  }

  @FieldResolver(() => Sensor, {
    nullable: true,
    description: 'The KATA sensor on the same host, when KATA is configured.',
  })
  sensor(@Root() asset: AssetRecord, @Ctx() { upstreams, loaders }: Context) {
    return upstreams.kata ? loaders.sensorByHostName.load(asset.hostName) : null;
  }

  @FieldResolver(() => IncidentConnection, {
    nullable: true,
    description: 'Incidents affecting this asset, oldest first.',
  })
  incidents(
    @Root() asset: AssetRecord,
    @Arg('filter', () => IncidentFilter, { nullable: true }) filter: IncidentFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionResult<IncidentRecord>> {
    // First pages of a page of assets share one incidents/list (see the loader); later pages and
    // filters naming assets go to MDR for this asset alone.
    if (!after && !filter?.assetIds) return firstIncidentsOfAsset(asset.assetId, filter, first, ctx, info);
    const assetIds = filter?.assetIds ? filter.assetIds.filter((id) => id === asset.assetId) : [asset.assetId];
    return listIncidents({ ...filter, assetIds }, first, after, ctx, info);
  }
}
