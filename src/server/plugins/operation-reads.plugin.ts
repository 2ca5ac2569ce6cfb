import type { ApolloServerPlugin } from '@apollo/server';

import type { Context } from '../../graph/context';
import { hostPartsOf } from '../../graph/resolvers/host-parts';
import { fragmentsOf } from '../../graph/resolvers/operation-parts';

/**
 * Tells the request's loaders, before the operation executes, what it reads of the records they
 * fetch: host lookups then ask KSC only for the attributes some field of the operation reads.
 */
export function operationReadsPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async executionDidStart({ schema, document, operation, contextValue }) {
          contextValue.loaders.reads.hostParts = hostPartsOf({ schema, operation, fragments: fragmentsOf(document) });
        },
      };
    },
  };
}
