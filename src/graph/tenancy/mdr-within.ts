import type { IncidentRecord, ResponseRecord } from '../../domain/mdr';
import { NotFoundError } from '../../errors/gateway-error';
import type { MdrClient } from '../../upstreams/mdr/client';
import { scopedView } from './scoped-view';
import type { TenantScope } from './tenant-scope';

/**
 * MDR as a caller limited to tenants sees it: lists and counts ask MDR for those tenants only,
 * lookups by id answer null for another tenant's object, and writes to one are NOT_FOUND before
 * anything is sent.
 */
export function mdrWithin(mdr: MdrClient, scope: TenantScope): MdrClient {
  /** Incidents this request has read, by id: their responses and comments need no second look. */
  const seen = new Map<string, boolean>();
  const note = <T extends IncidentRecord | null>(incident: T): T => {
    if (incident) seen.set(incident.incidentId, scope.mdrVisible(incident.tenantName));
    return incident;
  };
  const visible = <T extends { tenantName: string | null }>(record: T | null): T | null =>
    record && scope.mdrVisible(record.tenantName) ? record : null;
  const incidentVisible = async (incidentId: string): Promise<boolean> =>
    seen.get(incidentId) ?? !!visible(note(await mdr.incident(incidentId)));
  const mustSeeIncident = async (incidentId: string) => {
    if (!(await incidentVisible(incidentId))) throw new NotFoundError('No such incident.');
  };
  /** Responses this request has found within the caller's tenants: a decision after the check needs no second look. */
  const seenResponses = new Set<string>();
  const responsesByIds = async (ids: readonly string[], tenantNames?: readonly string[]) => {
    const within = scope.mdrTenants(tenantNames);
    if (within?.length === 0) return new Map<string, ResponseRecord>();
    const found = await mdr.responsesByIds(ids, within);
    for (const id of found.keys()) seenResponses.add(id);
    return found;
  };
  const mustSeeResponses = async (ids: readonly string[]) => {
    const unseen = ids.filter((id) => !seenResponses.has(id));
    if (unseen.length === 0) return;
    const found = await responsesByIds(unseen);
    const missing = unseen.filter((id) => !found.has(id));
    if (missing.length) throw new NotFoundError('No such response.', { responseIds: missing });
  };

  return scopedView<MdrClient>(
    mdr,
    {
      withSignal: (signal) => mdrWithin(mdr.withSignal(signal), scope),
      countAssets: async (q) => {
        const tenantNames = scope.mdrTenants(q.tenantNames);
        return tenantNames?.length === 0 ? 0 : mdr.countAssets({ ...q, tenantNames });
      },
      listAssets: async (q, page, size, order) => {
        const tenantNames = scope.mdrTenants(q.tenantNames);
        return tenantNames?.length === 0 ? [] : mdr.listAssets({ ...q, tenantNames }, page, size, order);
      },
      assetsAfter: async (q, from, count, order) => {
        const tenantNames = scope.mdrTenants(q.tenantNames);
        if (tenantNames?.length === 0) return [];
        const page = await mdr.assetsAfter({ ...q, tenantNames }, from, count, order);
        return page.filter((a) => scope.mdrVisible(a.tenantName));
      },
      assetsByHostNames: async (names, options = {}) => {
        const tenantNames = scope.mdrTenants(options.tenantNames);
        if (tenantNames?.length === 0) return [];
        const assets = await mdr.assetsByHostNames(names, { ...options, tenantNames });
        return assets.filter((a) => scope.mdrVisible(a.tenantName));
      },
      asset: async (assetId) => visible(await mdr.asset(assetId)),
      countIncidents: async (q) => {
        const tenantNames = scope.mdrTenants(q.tenantNames);
        return tenantNames?.length === 0 ? 0 : mdr.countIncidents({ ...q, tenantNames });
      },
      incidentsAfter: async (q, key, count, options) => {
        const tenantNames = scope.mdrTenants(q.tenantNames);
        if (tenantNames?.length === 0) return [];
        const page = await mdr.incidentsAfter({ ...q, tenantNames }, key, count, options);
        return page.map(note).filter((i) => scope.mdrVisible(i.tenantName));
      },
      incidentsUpdatedSince: async (q, since, count) => {
        const tenantNames = scope.mdrTenants(q.tenantNames);
        if (tenantNames?.length === 0) return [];
        const page = await mdr.incidentsUpdatedSince({ ...q, tenantNames }, since, count);
        return page.filter((i) => scope.mdrVisible(i.tenantName));
      },
      incident: async (incidentId, html) => visible(note(await mdr.incident(incidentId, html))),
      responses: async (incidentId, page, size) =>
        (await incidentVisible(incidentId)) ? mdr.responses(incidentId, page, size) : [],
      responsesByIds,
      updateResponse: async (responseId, status, comment, caller) => {
        await mustSeeResponses([responseId]);
        return mdr.updateResponse(responseId, status, comment, caller);
      },
      updateResponses: async (ids, status, comment, caller) => {
        await mustSeeResponses(ids);
        return mdr.updateResponses(ids, status, comment, caller);
      },
      comments: async (incidentId, html) => ((await incidentVisible(incidentId)) ? mdr.comments(incidentId, html) : []),
      createComment: async (incidentId, text, caller) => {
        await mustSeeIncident(incidentId);
        return mdr.createComment(incidentId, text, caller);
      },
    },
    ['ping', 'close'],
  );
}
