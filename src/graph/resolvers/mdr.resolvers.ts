import type { Context } from '../context';
import { asNode } from '../node-id';
import type { NodeFetchers } from '../node-fetchers';
import { HostAssetResolver, SensorAssetResolver } from './asset-join.resolver';
import { AssetResolver } from './asset.resolver';
import { CommentResolver } from './comment.resolver';
import { IncidentResolver } from './incident.resolver';
import { visibleTo } from './mdr-scope';
import { MdrSessionResolver } from './mdr-session.resolver';
import { ResponseResolver } from './response.resolver';

/** Mdr resolver classes, in the order type-graphql should see them. */
export const mdrResolvers: Function[] = [
  AssetResolver,
  IncidentResolver,
  ResponseResolver,
  CommentResolver,
  HostAssetResolver,
  SensorAssetResolver,
  MdrSessionResolver,
];

async function visibleIncident(incidentId: string, ctx: Context) {
  const incident = await ctx.loaders.incidentById.load(incidentId);
  return incident && visibleTo(ctx.caller, incident.tenantName) ? incident : null;
}

/** `<incident id>/<child id>`: responses and comments are found through their incident. */
function split(vendorId: string): [string, string] | null {
  const at = vendorId.indexOf('/');
  return at > 0 && at < vendorId.length - 1 ? [vendorId.slice(0, at), vendorId.slice(at + 1)] : null;
}

/** node(id:) lookups for Mdr types. */
export const mdrNodeFetchers: NodeFetchers = {
  Asset: async (assetId, ctx) => {
    const asset = await ctx.loaders.assetById.load(assetId);
    return asset && visibleTo(ctx.caller, asset.tenantName) ? asNode('Asset', asset) : null;
  },
  Incident: async (incidentId, ctx) => {
    const incident = await visibleIncident(incidentId, ctx);
    return incident && asNode('Incident', incident);
  },
  Response: async (vendorId, ctx) => {
    const parts = split(vendorId);
    const incident = parts && (await visibleIncident(parts[0], ctx));
    const response = incident?.responses?.find((r) => r.responseId === parts![1]);
    return response ? asNode('Response', response) : null;
  },
  Comment: async (vendorId, ctx) => {
    const parts = split(vendorId);
    const incident = parts && (await visibleIncident(parts[0], ctx));
    const comment = incident?.comments?.find((c) => c.commentId === parts![1]);
    return comment ? asNode('Comment', comment) : null;
  },
};
