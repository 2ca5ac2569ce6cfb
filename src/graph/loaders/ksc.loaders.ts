import type { Upstreams } from '../../upstreams';

/** Per-request Ksc loaders. */
export function createKscLoaders(_upstreams: Upstreams) {
  return {};
}
