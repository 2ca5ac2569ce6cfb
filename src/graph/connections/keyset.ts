import type { IncidentPriority } from '../../domain/mdr';
import type { WalkFrom } from '../../upstreams/mdr/client';
import { BadInputError } from '../../errors/gateway-error';
import type { ConnectionResult, RelayPageArgs } from './connection';
import { decodeCursor, encodeCursor } from './cursor';
import { pageSize } from './page-window';

/** A bound on cursor size: the most rows of one instant a cursor remembers. */
const MAX_TIED = 1_000;
const PRIORITIES = new Set<string>(['LOW', 'NORMAL', 'HIGH']);

/** Where a row stands in a keyset order: its priority group (when the order has one), sort key, id. */
export interface RowKey {
  priority?: IncidentPriority;
  at: number;
  id: string;
}

/**
 * Keyset cursors carry a sort key, not an offset: (the row's instant in the order, the ids of the
 * rows of that very instant on one side of it, the row's own id last). `a` says the ids are those
 * at or after the row in the list's order (a cursor made walking backward), else at or before it.
 * A key that never changes (creation time, first seen) keeps pages stable while rows arrive, and a
 * row leaving the filter mid-walk makes the walk skip no other.
 */
interface KeysetCursor {
  p?: IncidentPriority;
  t: number;
  i: string[];
  a?: 1;
}

/** What a page of a keyset list asks: which way, how many, from where. */
export interface KeysetPage {
  backward: boolean;
  count: number;
  from: WalkFrom | null;
}

/**
 * Relay's arguments as a keyset walk: `first`/`after` walk forward, `last`/`before` backward from
 * the cursor (or from the end of the list). A cursor works either way, whichever walk made it.
 * `first` with `before` (or `last` with `after`), which Relay discourages, is refused.
 */
export function keysetPage(kind: string, args: RelayPageArgs): KeysetPage {
  if (args.first != null && args.last != null)
    throw new BadInputError('Give "first" or "last", not both.', { argument: 'last' });
  // A page is one walk from one cursor: forward (first/after) or backward (last/before).
  if (args.after != null && args.before != null)
    throw new BadInputError('Give "after" or "before", not both.', { argument: 'before' });
  if ((args.first != null && args.before != null) || (args.last != null && args.after != null))
    throw new BadInputError('Page forward with "first" and "after", backward with "last" and "before".', {
      argument: args.before != null ? 'before' : 'after',
    });
  const backward = args.last != null || args.before != null;
  const count = backward ? pageSize(args.last, 'last') : pageSize(args.first);
  const cursor = backward ? args.before : args.after;
  if (cursor == null) return { backward, count, from: null };
  const c = decodeKeyset(kind, cursor, backward ? 'before' : 'after');
  // Ids behind the row in the walk's own direction are rows already passed: dropped. Ids ahead of
  // it (a cursor of a walk the other way) are the only rows of that instant still to come.
  const passed = (c.a === 1) === backward;
  const from: WalkFrom = passed ? { at: c.t, ids: c.i } : { at: c.t, ids: c.i.slice(0, -1), only: true };
  return { backward, count, from: c.p ? { ...from, priority: c.p } : from };
}

function decodeKeyset(kind: string, cursor: string, argument: 'after' | 'before'): KeysetCursor {
  const c = decodeCursor<{ p?: unknown; t?: unknown; i?: unknown; a?: unknown }>(kind, cursor, argument);
  if (
    typeof c.t !== 'number' ||
    !Number.isSafeInteger(c.t) ||
    !Array.isArray(c.i) ||
    c.i.length < 1 ||
    c.i.length > MAX_TIED ||
    !c.i.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 200) ||
    (c.p !== undefined && !PRIORITIES.has(c.p as string)) ||
    (c.a !== undefined && c.a !== 1)
  ) {
    throw new BadInputError('The cursor is malformed or belongs to another list.', { argument });
  }
  return c as KeysetCursor;
}

/**
 * A page of a keyset walk as a connection. `rows` are in the walk's order (reversed for a backward
 * page) and may hold one more than `count`: that one only tells whether more lie that way.
 */
export function keysetConnection<T>(
  kind: string,
  rows: readonly T[],
  { backward, count, from }: KeysetPage,
  keyOf: (row: T) => RowKey,
  totalCount?: number,
): ConnectionResult<T> {
  const nodes = rows.slice(0, count);
  let run: { priority?: IncidentPriority; at: number; ids: string[]; only: boolean } | null = from && {
    priority: from.priority,
    at: from.at,
    ids: from.ids,
    only: from.only === true,
  };
  const edges = nodes.map((node) => {
    const { priority, at, id } = keyOf(node);
    let ids: string[];
    let ahead = false;
    if (run && run.at === at && run.priority === priority && run.only) {
      // The rows of this instant still to come, this one last: ids ahead of it in the walk.
      run = { ...run, ids: run.ids.filter((x) => x !== id) };
      ids = [...run.ids, id];
      ahead = true;
    } else {
      ids = run && run.at === at && run.priority === priority ? [...run.ids, id].slice(-MAX_TIED) : [id];
      run = { priority, at, ids, only: false };
    }
    // "Ahead in the walk" is "at or after in the list's order" forward, "at or before" backward.
    const cursor: KeysetCursor = { ...(priority ? { p: priority } : {}), t: at, i: ids };
    if (ahead !== backward) cursor.a = 1;
    return { cursor: encodeCursor(kind, cursor as unknown as Record<string, unknown>), node };
  });
  if (backward) {
    edges.reverse();
    nodes.reverse();
  }
  const more = rows.length > count;
  return {
    edges,
    nodes,
    totalCount,
    pageInfo: {
      hasNextPage: backward ? from !== null : more,
      hasPreviousPage: backward ? more : from !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
