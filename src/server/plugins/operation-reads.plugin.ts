import type { ApolloServerPlugin } from '@apollo/server';

import type { Context } from '../../graph/context';
import { assetPartsOf } from '../../graph/resolvers/asset-parts';
import { hostPartsOf } from '../../graph/resolvers/host-parts';
import { fragmentsOf } from '../../graph/resolvers/operation-parts';

/**
 * Tells the request's loaders, before the operation executes, what it reads of the records they
 * fetch: host lookups then ask KSC only for the attributes some field of the operation reads, and
 * asset joins ask MDR only for those fields.
 */
export function operationReadsPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, contextValue }) {
          if (!operation) return;
          const reading = { schema, operation, fragments: fragmentsOf(document) };
          contextValue.loaders.reads.hostParts = hostPartsOf(reading);
          contextValue.loaders.reads.assetParts = assetPartsOf(reading);
        },
      };
    },
  };
}
