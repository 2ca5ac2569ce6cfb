import type { IncidentRecord } from '../../domain/mdr';
import type { IncidentKey } from '../../upstreams/mdr/client';
import { BadInputError } from '../../errors/gateway-error';
import type { ConnectionResult } from './connection';
import { decodeCursor, encodeCursor } from './cursor';

const KIND = 'mdr-incidents';
/** A bound on cursor size: the most incidents of one millisecond a cursor remembers. */
const MAX_TIED = 1_000;

/**
 * Incident cursors carry a sort key, not an offset: (creation time, the ids of the incidents of that
 * very millisecond already returned). Creation time never changes, so pages stay stable while
 * incidents arrive, and an incident leaving the filter (closed mid-walk) makes the walk skip no other.
 */
export function incidentKeyAfter(after: string | null | undefined): IncidentKey | null {
  if (after == null) return null;
  const { t, i } = decodeCursor<{ t?: unknown; i?: unknown }>(KIND, after);
  if (
    typeof t !== 'number' ||
    !Number.isSafeInteger(t) ||
    !Array.isArray(i) ||
    i.length < 1 ||
    i.length > MAX_TIED ||
    !i.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 200)
  ) {
    throw new BadInputError('The cursor is malformed or belongs to another list.', { argument: 'after' });
  }
  return { creationTime: t, seen: i as string[] };
}

/** `items` may hold one more than `count`: that one only sets hasNextPage. */
export function incidentConnection(
  items: readonly IncidentRecord[],
  after: IncidentKey | null,
  count: number,
  totalCount?: number,
): ConnectionResult<IncidentRecord> {
  const nodes = items.slice(0, count);
  let previous = after;
  const edges = nodes.map((node) => {
    const t = node.creationTime.getTime();
    const seen = previous && previous.creationTime === t ? [...previous.seen, node.incidentId] : [node.incidentId];
    previous = { creationTime: t, seen: seen.slice(-MAX_TIED) };
    return { cursor: encodeCursor(KIND, { t, i: previous.seen }), node };
  });
  return {
    edges,
    nodes,
    totalCount,
    pageInfo: {
      hasNextPage: items.length > count,
      hasPreviousPage: after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
