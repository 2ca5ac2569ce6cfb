import type { Caller } from '../domain/caller';
import type { Logger } from '../logger';
import { withSignal } from '../upstreams';
import type { Upstreams } from '../upstreams';
import { createLoaders } from './loaders';
import type { LiveHub } from './live/live-hub';
import type { LoaderMode } from './loaders/loader-mode';
import type { Loaders } from './loaders';
import { TenantScope, upstreamsWithin } from './tenancy';
import type { TenantDirectory } from './tenancy';

/** Per-request state every resolver sees. */
export interface Context {
  requestId: string;
  logger: Logger;
  caller: Caller;
  /** What of each source the caller may see; `upstreams` already keeps to it. */
  scope: TenantScope;
  /** The request's clients: bound to its signal and kept to the caller's tenants. */
  upstreams: Upstreams;
  loaders: Loaders;
  /** Aborted when the request's deadline passes or the client goes away. */
  signal: AbortSignal;
  /** The live feeds subscriptions read (absent where nothing subscribes, as in unit tests). */
  live?: LiveHub;
}

export function createContext({
  loaderMode,
  tenants,
  ...args
}: Omit<Context, 'loaders' | 'scope'> & { loaderMode?: LoaderMode; tenants?: TenantDirectory }): Context {
  const scope = new TenantScope(args.caller, tenants, args.upstreams);
  const upstreams = upstreamsWithin(withSignal(args.upstreams, args.signal), scope);
  return { ...args, scope, upstreams, loaders: createLoaders(upstreams, loaderMode) };
}
