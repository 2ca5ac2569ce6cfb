import type { IncidentRecord } from '../../domain/mdr';
import type { IncidentSortField, MdrOrder } from '../../upstreams/mdr/client';
import type { RowKey } from './keyset';

/** Creation time, oldest first: the order of incident lists unless one is asked for. */
export const BY_CREATION: MdrOrder<IncidentSortField> = { field: 'creationTime', descending: false };

/** The list's cursor kind: the default order keeps the kind its cursors always had. */
export function incidentsKind(order: MdrOrder<IncidentSortField>): string {
  const { field, descending } = order;
  return field === 'creationTime' && !descending
    ? 'mdr-incidents'
    : `mdr-incidents/${field}:${descending ? 'desc' : 'asc'}`;
}

/** Where an incident stands in `order`: what its cursor remembers. */
export function incidentKey(order: MdrOrder<IncidentSortField>) {
  return (i: IncidentRecord): RowKey => ({
    ...(order.field === 'priority' ? { priority: i.priority } : {}),
    at: (order.field === 'updateTime' ? i.updateTime : i.creationTime).getTime(),
    id: i.incidentId,
  });
}
