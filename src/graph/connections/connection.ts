import { Field, Int, ObjectType } from 'type-graphql';
import type { ClassType } from 'type-graphql';

import { offsetCursor } from './cursor';

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
  const hasNextPage = items.length > count || (totalCount !== undefined && offset + nodes.length < totalCount && count > 0 && nodes.length === count);
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

/** A connection over a list held whole in memory (small vendor lists returned in one answer). */
export function connectionFromArray<T>(
  kind: string,
  all: readonly T[],
  offset: number,
  count: number,
): ConnectionResult<T> {
  return connectionFromWindow(kind, all.slice(offset, offset + count + 1), offset, count, all.length);
}
