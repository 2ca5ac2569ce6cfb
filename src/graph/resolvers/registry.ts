import type { NodeFetchers } from '../node-fetchers';
import { kataNodeFetchers, kataResolvers } from './kata.resolvers';
import { kscNodeFetchers, kscResolvers } from './ksc.resolvers';
import { mdrNodeFetchers, mdrResolvers } from './mdr.resolvers';

export const upstreamResolvers: Function[] = [...mdrResolvers, ...kscResolvers, ...kataResolvers];

export const nodeFetchers: NodeFetchers = { ...mdrNodeFetchers, ...kscNodeFetchers, ...kataNodeFetchers };
