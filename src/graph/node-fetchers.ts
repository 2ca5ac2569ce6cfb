import type { Context } from './context';

/**
 * Looks one object up by its vendor id for node(id:) and nodes(ids:). Returns null when it does
 * not exist (or the caller may not see it); throws for upstream failures.
 */
export type NodeFetcher = (vendorId: string, ctx: Context) => Promise<object | null>;

/** GraphQL type name → fetcher. Each upstream's graph contributes its own entries. */
export type NodeFetchers = Record<string, NodeFetcher>;
