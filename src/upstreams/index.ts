import type { Config } from '../config/settings';
import { UpstreamNotConfiguredError } from '../errors/upstream-error';
import type { UpstreamName } from '../errors/upstream-error';
import type { KataClient } from './kata/client';
import { createKataClient } from './kata/create';
import type { KscClient } from './ksc/client';
import { createKscClient } from './ksc/create';
import type { MdrClient } from './mdr/client';
import { createMdrClient } from './mdr/create';
import type { UpstreamClient, UpstreamDeps } from './upstream-client';

/** The configured upstream clients of one gateway process; an absent one is not configured. */
export interface Upstreams {
  mdr?: MdrClient;
  ksc?: KscClient;
  kata?: KataClient;
}

export async function createUpstreams(config: Config, deps: UpstreamDeps): Promise<Upstreams> {
  return {
    mdr: config.mdr ? await createMdrClient(config.mdr, deps) : undefined,
    ksc: config.ksc ? await createKscClient(config.ksc, deps) : undefined,
    kata: config.kata ? await createKataClient(config.kata, deps) : undefined,
  };
}

/** One request's view of the clients: every call they make carries the request's signal. */
export function withSignal(upstreams: Upstreams, signal: AbortSignal): Upstreams {
  return {
    mdr: upstreams.mdr?.withSignal(signal),
    ksc: upstreams.ksc?.withSignal(signal),
    kata: upstreams.kata?.withSignal(signal),
  };
}

export function configuredClients(upstreams: Upstreams): UpstreamClient[] {
  return [upstreams.mdr, upstreams.ksc, upstreams.kata].filter((c): c is NonNullable<typeof c> => c !== undefined);
}

export async function closeUpstreams(upstreams: Upstreams): Promise<void> {
  await Promise.allSettled(configuredClients(upstreams).map((c) => c.close()));
}

/** The client of one upstream, or the coded error that a disabled upstream's fields resolve to. */
export function requireUpstream<K extends UpstreamName>(upstreams: Upstreams, name: K): NonNullable<Upstreams[K]> {
  const client = upstreams[name];
  if (!client) throw new UpstreamNotConfiguredError(name);
  return client as NonNullable<Upstreams[K]>;
}
