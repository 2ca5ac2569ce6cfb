import type { IncidentRecord } from '../../domain/mdr';
import type { IncidentKey } from '../../upstreams/mdr/client';
import { BadInputError } from '../../errors/gateway-error';
import type { ConnectionResult } from './connection';
import { decodeCursor, encodeCursor } from './cursor';

const KIND = 'mdr-incidents';

/**
 * Incident cursors carry a sort key, not an offset: (creation time, how many incidents of that very
 * millisecond came before). Creation time never changes, so pages stay stable while incidents arrive.
 */
export function incidentKeyAfter(after: string | null | undefined): IncidentKey | null {
  if (after == null) return null;
  const { t, s } = decodeCursor<{ t?: unknown; s?: unknown }>(KIND, after);
  if (
    typeof t !== 'number' ||
    !Number.isSafeInteger(t) ||
    typeof s !== 'number' ||
    !Number.isInteger(s) ||
    s < 1 ||
    s > 1_000
  ) {
    throw new BadInputError('The cursor is malformed or belongs to another list.', { argument: 'after' });
  }
  return { creationTime: t, skip: s };
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
    const s = previous && previous.creationTime === t ? previous.skip + 1 : 1;
    previous = { creationTime: t, skip: s };
    return { cursor: encodeCursor(KIND, { t, s }), node };
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
