import type { NodeFetchers } from '../node-fetchers';

/** Ksc resolver classes, in the order type-graphql should see them. */
export const kscResolvers: Function[] = [];

/** node(id:) lookups for Ksc types. */
export const kscNodeFetchers: NodeFetchers = {};
