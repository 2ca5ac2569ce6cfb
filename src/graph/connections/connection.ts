import { Field, Int, ObjectType } from 'type-graphql';
import type { ClassType } from 'type-graphql';

import { offsetAfter, offsetCursor, offsetOf } from './cursor';
import { pageSize } from './page-window';

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** What a resolver returns for any connection field; the generated classes only describe it. */
export interface ConnectionResult<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount?: number;
}

export interface ConnectionOptions {
  /** Whether the connection has `totalCount: Int!`. @default true */
  totalCount?: boolean;
}

/**
 * Generic Relay connection (type-graphql's generic-type pattern): `class XConnection extends
 * Connection(X) {}` yields `XConnection`, `XEdge` with explicit names, as the contract spells them.
 */
export function Connection<T extends object>(nodeClass: ClassType<T>, { totalCount = true }: ConnectionOptions = {}) {
  const name = nodeClass.name;

  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => nodeClass)
    node!: T;
  }

  @ObjectType()
  abstract class BaseConnection {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [nodeClass])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }

  if (!totalCount) return BaseConnection;

  @ObjectType()
  abstract class CountedConnection extends BaseConnection {
    @Field(() => Int, { description: 'All items matching the filter, on every page.' })
    totalCount!: number;
  }
  return CountedConnection;
}

/**
 * Builds a connection from a window of items that starts at `offset`, with offset cursors of `kind`.
 * `items` may hold one item more than `count`: its presence is what sets `hasNextPage`.
 */
export function connectionFromWindow<T>(
  kind: string,
  items: readonly T[],
  offset: number,
  count: number,
  totalCount?: number,
): ConnectionResult<T> {
  const nodes = items.slice(0, count);
  const edges = nodes.map((node, i) => ({ cursor: offsetCursor(kind, offset + i), node }));
  const hasNextPage =
    items.length > count ||
    (totalCount !== undefined && offset + nodes.length < totalCount && count > 0 && nodes.length === count);
  return {
    edges,
    nodes,
    totalCount,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Relay's pagination arguments, forward (`first`, `after`) and backward (`last`, `before`). */
export interface RelayPageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * A page of a list held whole in memory, forward or backward, as Relay's algorithm slices it:
 * `after`/`before` bound the list, then `first` keeps the items from the start of what is left and
 * `last` those at its end (`last: 5` alone: the five last items). Without either, the default page
 * size forward. Being whole, the list tells both `hasNextPage` and `hasPreviousPage` truthfully.
 */
export function connectionFromArrayPage<T>(kind: string, all: readonly T[], args: RelayPageArgs): ConnectionResult<T> {
  let start = Math.min(offsetAfter(kind, args.after), all.length);
  let end = args.before == null ? all.length : Math.min(offsetOf(kind, args.before, 'before'), all.length);
  if (args.first != null || args.last == null) end = Math.min(end, start + pageSize(args.first));
  if (args.last != null) start = Math.max(start, end - pageSize(args.last, 'last'));
  end = Math.max(start, end);
  // The item after the page, when there is one, is what tells hasNextPage.
  return connectionFromWindow(kind, all.slice(start, end + 1), start, end - start, all.length);
}
