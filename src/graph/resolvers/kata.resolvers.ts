import type { NodeFetchers } from '../node-fetchers';

/** Kata resolver classes, in the order type-graphql should see them. */
export const kataResolvers: Function[] = [];

/** node(id:) lookups for Kata types. */
export const kataNodeFetchers: NodeFetchers = {};
