import { performance } from 'node:perf_hooks';

import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';

import { GatewayError } from '../../errors/gateway-error';
import type { UpstreamName } from '../../errors/upstream-error';
import type { Context } from '../context';
import { fromGlobalId } from '../node-id';
import { Node } from '../types/node.type';
import { Upstream, UpstreamHealth } from '../types/upstream-health.type';
import { nodeFetchers } from './registry';

const MAX_NODES = 100;

@Resolver()
export class CoreResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id (Relay).' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<object | null> {
    return fetchNode(id, ctx);
  }

  @Query(() => [Node], { nullable: 'items', description: `Objects by global id, in order; at most ${MAX_NODES}.` })
  async nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: Context): Promise<(object | null)[]> {
    if (ids.length > MAX_NODES) {
      throw new GatewayError('BAD_USER_INPUT', `At most ${MAX_NODES} ids per call.`, { details: { argument: 'ids' } });
    }
    return Promise.all(ids.map((id) => fetchNode(id, ctx)));
  }

  @Query(() => [UpstreamHealth], { description: 'Test Connection for each upstream: configured, reachable, how fast.' })
  async upstreams(@Ctx() { upstreams }: Context): Promise<UpstreamHealth[]> {
    const names: UpstreamName[] = ['mdr', 'ksc', 'kata'];
    return Promise.all(
      names.map(async (name): Promise<UpstreamHealth> => {
        const upstream = name.toUpperCase() as Upstream;
        const client = upstreams[name];
        if (!client) {
          return {
            upstream,
            configured: false,
            reachable: false,
            latencyMs: null,
            message: 'Not configured.',
            code: 'UPSTREAM_NOT_CONFIGURED',
          };
        }
        const started = performance.now();
        try {
          await client.ping();
          return {
            upstream,
            configured: true,
            reachable: true,
            latencyMs: round(performance.now() - started),
            message: null,
            code: null,
          };
        } catch (error) {
          const known = error instanceof GatewayError;
          return {
            upstream,
            configured: true,
            reachable: false,
            latencyMs: null,
            message: known ? error.message : 'Unexpected error.',
            code: known ? error.code : 'INTERNAL_SERVER_ERROR',
          };
        }
      }),
    );
  }
}

async function fetchNode(id: string, ctx: Context): Promise<object | null> {
  const { type, vendorId } = fromGlobalId(id);
  const fetcher = nodeFetchers[type];
  if (!fetcher) return null;
  const record = await fetcher(vendorId, ctx);
  return record ? { ...record, __typename: type } : null;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
