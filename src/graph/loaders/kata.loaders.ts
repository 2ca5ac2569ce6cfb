import type { Upstreams } from '../../upstreams';

/** Per-request Kata loaders. */
export function createKataLoaders(_upstreams: Upstreams) {
  return {};
}
