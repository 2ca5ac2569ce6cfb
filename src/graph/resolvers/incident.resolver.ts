import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';

import type { AssetRecord, CommentRecord, IncidentRecord, ResponseRecord, ResponseStatus } from '../../domain/mdr';
import { requireUpstream } from '../../upstreams';
import type { IncidentSortField } from '../../upstreams/mdr/client';
import type { ConnectionResult } from '../connections/connection';
import { connectionFromArrayPage } from '../connections/connection';
import type { RelayPageArgs } from '../connections/connection';
import { keysetConnection, keysetPage } from '../connections/keyset';
import { incidentKey, incidentsKind } from '../connections/incident-order';
import type { Context } from '../context';
import { IncidentFilter } from '../inputs/mdr.inputs';
import { IncidentOrder, IncidentOrderField, OrderDirection } from '../inputs/order.inputs';
import { toGlobalId } from '../node-id';
import { Asset } from '../types/asset.type';
import { CommentConnection } from '../types/comment.type';
import { Incident, IncidentConnection } from '../types/incident.type';
import { ResponseStatusEnum, TextFormat } from '../types/mdr-enums.type';
import { ResponseConnection } from '../types/response.type';
import { incidentPartsOf } from './incident-parts';
import { connectionSelects, given, scopeTenants, selects, visibleTo } from './mdr-scope';

const INCIDENT_ORDER: Record<IncidentOrderField, IncidentSortField> = {
  CREATION_TIME: 'creationTime',
  UPDATE_TIME: 'updateTime',
  PRIORITY: 'priority',
};

export interface IncidentListArgs extends RelayPageArgs {
  orderBy?: IncidentOrder | null;
}

/**
 * Incidents in the asked order (creation time, oldest first, by default) with keyset cursors,
 * forward or backward: one MDR call per page (+1 when totalCount is selected; by priority, +1 for
 * a page that crosses into the next priority).
 */
export async function listIncidents(
  filter: Partial<IncidentFilter> | null,
  { first, after, last, before, orderBy }: IncidentListArgs,
  { upstreams, caller, loaders }: Context,
  info: GraphQLResolveInfo,
): Promise<ConnectionResult<IncidentRecord>> {
  const order = {
    field: INCIDENT_ORDER[orderBy?.field ?? IncidentOrderField.CREATION_TIME],
    descending: orderBy?.direction === OrderDirection.DESC,
  };
  const kind = incidentsKind(order);
  const page = keysetPage(kind, { first, after, last, before });
  const keyOf = incidentKey(order);
  const tenantNames = scopeTenants(caller, filter?.tenantNames);
  if (tenantNames?.length === 0 || filter?.assetIds?.length === 0) return keysetConnection(kind, [], page, keyOf, 0);
  const mdr = requireUpstream(upstreams, 'mdr');
  const query = { ...given(filter as IncidentFilter), tenantNames };
  const { count } = page;
  const [items, total] = await Promise.all([
    mdr.incidentsAfter(query, page.from, count + 1, {
      order: { ...order, descending: order.descending !== page.backward },
      parts: incidentPartsOf(info),
      listed: (hostNames) => prefetchAffectedAssets(hostNames.slice(0, count).flat(), loaders, upstreams, info),
    }),
    selects(info, 'totalCount') ? mdr.countIncidents(query) : Promise.resolve(undefined),
  ]);
  // A listed incident has every part this operation reads (incidentPartsOf): Response.incident
  // and the other lookups by id within it reuse it.
  for (const item of items) loaders.incidentById.prime(item.incidentId, item);
  return keysetConnection(kind, items, page, keyOf, total);
}

/**
 * A page of incidents names its affected hosts. When the query asks for their assets (and the
 * assets' KSC hosts and KATA sensors), those calls go out as soon as the page has arrived, before
 * its records are built, not after GraphQL has completed every incident's other fields first:
 * Incident.affectedAssets, Asset.host and Asset.sensor then find the answers in the loaders.
 * Failures surface on those fields, not here.
 */
async function prefetchAffectedAssets(
  hostNames: readonly string[],
  loaders: Context['loaders'],
  upstreams: Context['upstreams'],
  info: GraphQLResolveInfo,
): Promise<void> {
  if (!loaders.prefetch) return;
  if (!connectionSelects(info, 'affectedAssets')) return;
  const host = !!upstreams.ksc && connectionSelects(info, 'affectedAssets', 'host');
  const sensor = !!upstreams.kata && connectionSelects(info, 'affectedAssets', 'sensor');
  // Incidents share hosts: one load per name (a load returns the cached promise, but makes two).
  const names = new Set(hostNames);
  const ignore = () => undefined;
  // KSC first, and on the wire before the others are built: its lookup takes two round trips
  // (FindHosts, then the chunk), theirs one. undici writes a call in the next check phase, so one
  // queued beside the others would wait while they are built.
  if (host) {
    for (const n of names) loaders.hostByName.load(n).catch(ignore);
    await loaders.dispatchNow();
  }
  for (const n of names) loaders.assetByHostName.load(n).catch(ignore);
  if (sensor) for (const n of names) loaders.sensorByHostName.load(n).catch(ignore);
  await loaders.dispatchNow();
}

@Resolver(() => Incident)
export class IncidentResolver {
  @Query(() => IncidentConnection, {
    nullable: true,
    description:
      "MDR incidents, oldest first unless `orderBy` says otherwise; `last` and `before` page backward (`orderBy: {field: CREATION_TIME, direction: DESC}` is the console's newest first). Pages stay stable while new incidents arrive.",
  })
  incidents(
    @Arg('filter', () => IncidentFilter, { nullable: true }) filter: IncidentFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('last', () => Int, { nullable: true }) last: number | null = null,
    @Arg('before', () => String, { nullable: true }) before: string | null = null,
    @Arg('orderBy', () => IncidentOrder, { nullable: true }) orderBy: IncidentOrder | null = null,
  ): Promise<ConnectionResult<IncidentRecord>> {
    return listIncidents(filter, { first, after, last, before, orderBy }, ctx, info);
  }

  @Query(() => Incident, {
    nullable: true,
    description: 'One MDR incident; null when it does not exist or is outside your tenants.',
  })
  async incident(
    @Arg('incidentId', () => String) incidentId: string,
    @Ctx() { loaders, caller }: Context,
  ): Promise<IncidentRecord | null> {
    const incident = await loaders.incidentById.load(incidentId);
    return incident && visibleTo(caller, incident.tenantName) ? incident : null;
  }

  @FieldResolver(() => ID)
  id(@Root() incident: IncidentRecord): string {
    return toGlobalId('Incident', incident.incidentId);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Markdown as the SOC wrote it, or HTML rendered by MDR (one extra MDR call per incident).',
  })
  async description(
    @Root() incident: IncidentRecord,
    @Arg('format', () => TextFormat, { nullable: true, defaultValue: TextFormat.MARKDOWN }) format: TextFormat | null,
    @Ctx() { loaders }: Context,
  ): Promise<string | null> {
    const wantHtml = format === TextFormat.HTML;
    if (incident.html === wantHtml) return incident.descriptionText;
    const loader = wantHtml ? loaders.incidentHtmlById : loaders.incidentById;
    return (await loader.load(incident.incidentId))?.descriptionText ?? null;
  }

  @FieldResolver(() => [Asset], {
    description: 'The affected assets: one batched MDR call (assets/list by host names) for a whole page.',
  })
  async affectedAssets(
    @Root() incident: IncidentRecord,
    @Ctx() { loaders, upstreams }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AssetRecord[]> {
    const names = incident.affectedHosts.map((h) => h.hostName);
    // The incident already names the hosts: ask KSC and KATA for them now, beside MDR's assets/list,
    // instead of one round trip later. Asset.host and Asset.sensor then find the answers in the
    // same loaders (keyed by host name, case-insensitively); failures surface there, not here.
    if (loaders.prefetch && upstreams.ksc && selects(info, 'host'))
      for (const n of names) loaders.hostByName.load(n).catch(() => undefined);
    if (loaders.prefetch && upstreams.kata && selects(info, 'sensor'))
      for (const n of names) loaders.sensorByHostName.load(n).catch(() => undefined);
    const assets = await loaders.assetByHostName.loadMany(names);
    return assets.filter((a): a is AssetRecord => {
      if (a instanceof Error) throw a;
      return a !== null;
    });
  }

  @FieldResolver(() => ResponseConnection, {
    nullable: true,
    description:
      "Proposed responses, in MDR's order; free when the incident came from a list or details call, which embed them. " +
      '`statuses` keeps those in one of them (`[PENDING]`: the ones waiting for a decision); `last` and `before` page backward.',
  })
  async responses(
    @Root() incident: IncidentRecord,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { loaders }: Context,
    @Arg('last', () => Int, { nullable: true }) last: number | null = null,
    @Arg('before', () => String, { nullable: true }) before: string | null = null,
    @Arg('statuses', () => [ResponseStatusEnum], { nullable: true }) statuses: ResponseStatus[] | null = null,
  ): Promise<ConnectionResult<ResponseRecord>> {
    const all = incident.responses ?? (await loaders.responsesByIncident.load(incident.incidentId));
    if (!statuses) return connectionFromArrayPage('mdr-responses', all, { first, after, last, before });
    // Cursors count within the filtered list: one of another filter's list is refused, not misread.
    const kind = `mdr-responses/${[...new Set(statuses)].sort().join(',')}`;
    const wanted = all.filter((r) => statuses.includes(r.status));
    return connectionFromArrayPage(kind, wanted, { first, after, last, before });
  }

  @FieldResolver(() => CommentConnection, {
    nullable: true,
    description:
      'Comments, oldest first; embedded in incident answers like responses. `last` pages from the newest (`last: 5`: the five latest).',
  })
  async comments(
    @Root() incident: IncidentRecord,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { loaders }: Context,
    @Arg('last', () => Int, { nullable: true }) last: number | null = null,
    @Arg('before', () => String, { nullable: true }) before: string | null = null,
  ): Promise<ConnectionResult<CommentRecord>> {
    const all = incident.comments ?? (await loaders.commentsByIncident.load(`${incident.incidentId}\nmarkdown`));
    return connectionFromArrayPage('mdr-comments', all, { first, after, last, before });
  }
}
