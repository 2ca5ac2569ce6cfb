import type { Caller } from '../domain/caller';
import type { Logger } from '../logger';
import { withSignal } from '../upstreams';
import type { Upstreams } from '../upstreams';
import { createLoaders } from './loaders';
import type { LoaderMode } from './loaders/loader-mode';
import type { Loaders } from './loaders';

/** Per-request state every resolver sees. */
export interface Context {
  requestId: string;
  logger: Logger;
  caller: Caller;
  upstreams: Upstreams;
  loaders: Loaders;
  /** Aborted when the request's deadline passes or the client goes away. */
  signal: AbortSignal;
}

export function createContext({
  loaderMode,
  ...args
}: Omit<Context, 'loaders'> & { loaderMode?: LoaderMode }): Context {
  const upstreams = withSignal(args.upstreams, args.signal);
  return { ...args, upstreams, loaders: createLoaders(upstreams, loaderMode) };
}
