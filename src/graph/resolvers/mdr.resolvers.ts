import type { NodeFetchers } from '../node-fetchers';

/** Mdr resolver classes, in the order type-graphql should see them. */
export const mdrResolvers: Function[] = [];

/** node(id:) lookups for Mdr types. */
export const mdrNodeFetchers: NodeFetchers = {};
