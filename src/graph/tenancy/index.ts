import type { Upstreams } from '../../upstreams';
import { kataWithin } from './kata-within';
import { kscWithin } from './ksc-within';
import { mdrWithin } from './mdr-within';
import type { TenantScope } from './tenant-scope';

export { TenantDirectory } from './tenant-directory';
export { TenantScope } from './tenant-scope';

/**
 * The clients one request may use: as they are for a caller who sees every tenant, else views that
 * keep each source to the caller's tenants. Every resolver, loader and mutation reaches the
 * upstreams through these, so a path cannot forget the scope.
 */
export function upstreamsWithin(upstreams: Upstreams, scope: TenantScope): Upstreams {
  if (!scope.limited) return upstreams;
  return {
    mdr: upstreams.mdr && mdrWithin(upstreams.mdr, scope),
    ksc: upstreams.ksc && kscWithin(upstreams.ksc, scope),
    kata: upstreams.kata && kataWithin(upstreams.kata, scope),
  };
}
