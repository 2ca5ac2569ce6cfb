import type { HostPart } from '../../domain/ksc';
import type { AssetPart } from '../../domain/mdr';

/**
 * What the request's operation reads of the records its loaders fetch, set before it executes
 * (server/plugins/operation-reads.plugin.ts); unset, lookups fetch everything.
 */
export interface OperationReads {
  hostParts?: readonly HostPart[];
  assetParts?: readonly AssetPart[];
}
