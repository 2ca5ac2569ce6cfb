import type { Upstreams } from '../../upstreams';
import { createKataLoaders } from './kata.loaders';
import { createKscLoaders } from './ksc.loaders';
import { createMdrLoaders } from './mdr.loaders';

/** Built per request (never shared): DataLoader caches must not outlive one caller's request. */
export function createLoaders(upstreams: Upstreams) {
  return {
    ...createMdrLoaders(upstreams),
    ...createKscLoaders(upstreams),
    ...createKataLoaders(upstreams),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
