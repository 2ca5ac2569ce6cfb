import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';

import type { AssetRecord, IncidentRecord } from '../../domain/mdr';
import { BadInputError } from '../../errors/gateway-error';
import { requireUpstream } from '../../upstreams';
import { MDR_MAX_PAGE } from '../../upstreams/mdr/client';
import type { AssetSortField } from '../../upstreams/mdr/client';
import type { ConnectionResult } from '../connections/connection';
import { connectionFromWindow } from '../connections/connection';
import { offsetAfter } from '../connections/cursor';
import { keysetConnection, keysetPage } from '../connections/keyset';
import type { RowKey } from '../connections/keyset';
import { pageSize, pagesForWindow, pastResultWindow } from '../connections/page-window';
import type { Context } from '../context';
import { AssetFilter, IncidentFilter } from '../inputs/mdr.inputs';
import { AssetOrder, AssetOrderField, OrderDirection } from '../inputs/order.inputs';
import { toGlobalId } from '../node-id';
import { Asset, AssetConnection } from '../types/asset.type';
import { Host } from '../types/host.type';
import { IncidentConnection } from '../types/incident.type';
import { Sensor } from '../types/sensor.type';
import { firstIncidentsOfAsset } from '../loaders/asset-incidents';
import { listIncidents } from './incident.resolver';
import { given, scopeTenants, selects, visibleTo } from './mdr-scope';

const KIND = 'mdr-assets';
const ASSET_ORDER: Record<AssetOrderField, AssetSortField> = {
  FIRST_SEEN: 'firstSeen',
  LAST_SEEN: 'lastSeen',
  NAME: 'name',
};

@Resolver(() => Asset)
export class AssetResolver {
  @Query(() => AssetConnection, {
    nullable: true,
    description:
      'MDR assets, oldest first (first seen) unless `orderBy` says otherwise. Costs one MDR call, two with totalCount; by first or last seen a walk pages to the end by key, by name within the first 10,000.',
  })
  async assets(
    @Arg('filter', () => AssetFilter, { nullable: true }) filter: AssetFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { upstreams, caller }: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('orderBy', () => AssetOrder, { nullable: true }) orderBy: AssetOrder | null = null,
  ): Promise<ConnectionResult<AssetRecord>> {
    const order = {
      field: ASSET_ORDER[orderBy?.field ?? AssetOrderField.FIRST_SEEN],
      descending: orderBy?.direction === OrderDirection.DESC,
    };
    const kind =
      order.field === 'firstSeen' && !order.descending
        ? KIND
        : `${KIND}/${order.field}:${order.descending ? 'desc' : 'asc'}`;
    const tenantNames = scopeTenants(caller, filter?.tenantNames);
    const query = { ...given(filter), tenantNames };
    const total = () =>
      selects(info, 'totalCount') ? requireUpstream(upstreams, 'mdr').countAssets(query) : Promise.resolve(undefined);
    if (order.field === 'name') {
      const count = pageSize(first);
      const offset = offsetAfter(kind, after);
      if (tenantNames?.length === 0) return connectionFromWindow(kind, [], offset, count, 0);
      const mdr = requireUpstream(upstreams, 'mdr');
      // MDR pages by number under a 10,000-row window and has no bound on names to walk by key.
      const windows = pagesForWindow(offset, count, MDR_MAX_PAGE, MDR_MAX_PAGE);
      if (pastResultWindow(windows, MDR_MAX_PAGE))
        throw new BadInputError(
          `MDR sorts assets by name within its first ${MDR_MAX_PAGE} only: narrow the filter, or order by FIRST_SEEN or LAST_SEEN to page further.`,
          { argument: 'after' },
        );
      const [pages, n] = await Promise.all([
        Promise.all(
          windows.map(async (p) =>
            (await mdr.listAssets(query, p.page, p.pageSize, { ...order, field: 'name' })).slice(p.skip),
          ),
        ),
        total(),
      ]);
      return connectionFromWindow(kind, pages.flat().slice(0, count + 1), offset, count, n);
    }
    const page = keysetPage(kind, { first, after });
    const keyOf = (a: AssetRecord): RowKey => ({
      at: (order.field === 'lastSeen' ? a.lastSeen : a.firstSeen)?.getTime() ?? 0,
      id: a.assetId,
    });
    if (tenantNames?.length === 0) return keysetConnection(kind, [], page, keyOf, 0);
    const mdr = requireUpstream(upstreams, 'mdr');
    const [items, n] = await Promise.all([
      mdr.assetsAfter(query, page.from, page.count + 1, { field: order.field, descending: order.descending }),
      total(),
    ]);
    return keysetConnection(kind, items, page, keyOf, n);
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
    return listIncidents({ ...filter, assetIds }, { first, after }, ctx, info);
  }
}
