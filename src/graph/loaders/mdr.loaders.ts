import type { Upstreams } from '../../upstreams';

/** Per-request Mdr loaders. */
export function createMdrLoaders(_upstreams: Upstreams) {
  return {};
}
