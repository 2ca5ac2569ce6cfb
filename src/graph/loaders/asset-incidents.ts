import { getArgumentValues, isObjectType } from 'graphql';
import type { FieldNode, GraphQLResolveInfo } from 'graphql';

import type { Caller } from '../../domain/caller';
import type { IncidentPart, IncidentQuery, IncidentRecord } from '../../domain/mdr';
import { requireUpstream } from '../../upstreams';
import type { Upstreams } from '../../upstreams';
import { MDR_MAX_PAGE } from '../../upstreams/mdr/client';
import type { ConnectionResult } from '../connections/connection';
import { BY_CREATION, incidentKey, incidentsKind } from '../connections/incident-order';
import { keysetConnection } from '../connections/keyset';
import { pageSize } from '../connections/page-window';
import type { Context } from '../context';
import type { IncidentFilter } from '../inputs/mdr.inputs';
import { incidentPartsOf } from '../resolvers/incident-parts';
import { fieldsAt, fieldsBelow, given, scopeTenants, selects } from '../resolvers/mdr-scope';
import type { LoaderFactory } from './loader-mode';

/** What the assets of one `Asset.incidents` field share: everything of the key but the asset. */
export interface AssetIncidentsAsk {
  /** The filter without asset ids, tenant scope applied. */
  query: IncidentQuery;
  /** Incidents wanted per asset, one more than the page to know hasNextPage. */
  count: number;
  withTotal: boolean;
  /** What the operation reads of an incident (incidentPartsOf); undefined = everything. */
  parts: readonly IncidentPart[] | undefined;
  /**
   * The rest as one string, computed once per ask: keys with equal ones share a call. Computing it
   * per asset (sorted entries, JSON) took half a millisecond on a page of 100 assets, on its path.
   */
  sig: string;
}

interface AssetIncidentsKey extends AssetIncidentsAsk {
  assetId: string;
}

interface AssetIncidents {
  items: IncidentRecord[];
  total?: number;
}

/** Each affected asset's incidents (asset ids compare case-insensitively), in the answer's order. */
function incidentsByAsset(rows: readonly IncidentRecord[]): Map<string, IncidentRecord[]> {
  const byAsset = new Map<string, IncidentRecord[]>();
  for (const incident of rows) {
    const assetIds = new Set(incident.affectedHosts.flatMap((h) => (h.assetId ? [h.assetId.toLowerCase()] : [])));
    for (const id of assetIds) {
      const list = byAsset.get(id);
      if (list) list.push(incident);
      else byAsset.set(id, [incident]);
    }
  }
  return byAsset;
}

/**
 * First pages of `Asset.incidents` for a whole page of assets: MDR's incidents/list takes many
 * `asset_ids`, so the assets asking with the same filter share one call (sorted by creation time),
 * split per asset here. The totals come free when the answer holds everything. When it does not
 * (a full page of MDR_MAX_PAGE), assets that already have `count` incidents in it are complete
 * (it is a prefix of each asset's own order); only the others are asked one by one.
 */
export function createAssetIncidentsLoader(upstreams: Upstreams, dataLoader: LoaderFactory) {
  return dataLoader<AssetIncidentsKey, AssetIncidents, string>(
    async (keys) => {
      const mdr = requireUpstream(upstreams, 'mdr');
      const groups = new Map<string, AssetIncidentsKey[]>();
      for (const key of keys) {
        const group = groups.get(key.sig);
        if (group) group.push(key);
        else groups.set(key.sig, [key]);
      }
      const results = new Map<AssetIncidentsKey, AssetIncidents>();
      const alone = async (key: AssetIncidentsKey) => {
        const query = { ...key.query, assetIds: [key.assetId] };
        const [items, total] = await Promise.all([
          mdr.incidentsAfter(query, null, key.count, { parts: key.parts }),
          key.withTotal ? mdr.countIncidents(query) : Promise.resolve(undefined),
        ]);
        results.set(key, { items, total });
      };
      await Promise.all(
        [...groups.values()].map(async (group) => {
          if (group.length === 1) return alone(group[0]!);
          const { query, count, parts } = group[0]!;
          const rows = await mdr.incidentsAfter(
            { ...query, assetIds: [...new Set(group.map((k) => k.assetId))] },
            null,
            MDR_MAX_PAGE,
            { parts },
          );
          const complete = rows.length < MDR_MAX_PAGE;
          const byAsset = incidentsByAsset(rows);
          // One pass over the answer, then a lookup per asset, rather than every row for every asset.
          const others: AssetIncidentsKey[] = [];
          for (const key of group) {
            const mine = byAsset.get(key.assetId.toLowerCase()) ?? [];
            if (complete) results.set(key, { items: mine.slice(0, count), total: mine.length });
            else if (mine.length >= count && !key.withTotal) results.set(key, { items: mine.slice(0, count) });
            else others.push(key);
          }
          await Promise.all(others.map(alone));
        }),
      );
      return keys.map((k) => results.get(k)!);
    },
    { cacheKeyFn: (k) => `${k.assetId}\n${k.sig}` },
  );
}

/** A query's fields in name order: equal filters make equal keys however their objects were built. */
const entriesOf = (query: IncidentQuery) => Object.entries(query).sort(([a], [b]) => (a < b ? -1 : 1));

/**
 * The first page of `Asset.incidents` (no `after`, no asset ids in the filter), batched across the
 * assets of a page (see above). Later pages go to MDR per asset, as one list would.
 */
export async function firstIncidentsOfAsset(
  assetId: string,
  filter: Partial<IncidentFilter> | null,
  first: number | null,
  { caller, loaders }: Context,
  info: GraphQLResolveInfo,
): Promise<ConnectionResult<IncidentRecord>> {
  const count = pageSize(first);
  const ask = firstIncidentsAsk(filter, first, caller, selects(info, 'totalCount'), incidentPartsOf(info));
  const page = { backward: false, count, from: null };
  const connection = (items: IncidentRecord[], total?: number) =>
    keysetConnection(incidentsKind(BY_CREATION), items, page, incidentKey(BY_CREATION), total);
  if (!ask) return connection([], 0);
  const { items, total } = await loaders.assetIncidents.load({ ...ask, assetId });
  for (const item of items) loaders.incidentById.prime(item.incidentId, item);
  return connection(items, total);
}

/**
 * What the first incidents pages of one `Asset.incidents` field share, every asset's key but its
 * id; null when the caller's tenants leave nothing to ask. Also used to start those loads before
 * GraphQL reaches the field (host pages): computed once for a page of assets, not per asset.
 */
export function firstIncidentsAsk(
  filter: Partial<IncidentFilter> | null,
  first: number | null,
  caller: Caller,
  withTotal: boolean,
  parts: readonly IncidentPart[] | undefined,
): AssetIncidentsAsk | null {
  const tenantNames = scopeTenants(caller, filter?.tenantNames);
  if (tenantNames?.length === 0) return null;
  const { assetIds: _ignored, ...rest } = given(filter as IncidentFilter);
  const query = { ...rest, tenantNames };
  const count = pageSize(first) + 1;
  return { query, count, withTotal, parts, sig: JSON.stringify([entriesOf(query), count, withTotal, parts]) };
}

/** What one `Asset.incidents` field of a query asks for, as its resolver will see it. */
export interface FirstIncidentsAsk {
  filter: Partial<IncidentFilter> | null;
  first: number | null;
  withTotal: boolean;
}

/**
 * The first pages of `Asset.incidents` the query asks for at `path` below the field being
 * resolved (assets found there), one per response key, with their arguments; later pages and
 * filters naming assets are left to the field.
 */
export function firstIncidentsAskedAt(info: GraphQLResolveInfo, ...path: string[]): FirstIncidentsAsk[] {
  const asset = info.schema.getType('Asset');
  const field = isObjectType(asset) ? asset.getFields()['incidents'] : undefined;
  if (!field) return [];
  const byResponseKey = new Map<string, FieldNode[]>();
  for (const node of fieldsAt(info, ...path, 'incidents')) {
    const key = node.alias?.value ?? node.name.value;
    byResponseKey.set(key, [...(byResponseKey.get(key) ?? []), node]);
  }
  return [...byResponseKey.values()].flatMap((nodes) => {
    const args = getArgumentValues(field, nodes[0]!, info.variableValues) as {
      filter?: Partial<IncidentFilter> | null;
      first?: number | null;
      after?: string | null;
    };
    if (args.after || args.filter?.assetIds) return [];
    const withTotal = fieldsBelow(nodes, info.fragments, 'totalCount').length > 0;
    return [{ filter: args.filter ?? null, first: args.first ?? null, withTotal }];
  });
}
