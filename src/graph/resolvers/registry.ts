import type { NodeFetchers } from '../node-fetchers';
import { HostCapabilitiesResolver } from './capabilities.resolver';
import { AssetContainmentResolver, HostContainmentResolver } from './containment.resolver';
import { kataNodeFetchers, kataResolvers } from './kata.resolvers';
import { kscNodeFetchers, kscResolvers } from './ksc.resolvers';
import { mdrNodeFetchers, mdrResolvers } from './mdr.resolvers';

export const upstreamResolvers: Function[] = [
  ...mdrResolvers,
  ...kscResolvers,
  ...kataResolvers,
  HostContainmentResolver,
  AssetContainmentResolver,
  HostCapabilitiesResolver,
];

export const nodeFetchers: NodeFetchers = { ...mdrNodeFetchers, ...kscNodeFetchers, ...kataNodeFetchers };
