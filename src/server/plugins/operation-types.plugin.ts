import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

import { SUBSCRIPTIONS_ELSEWHERE } from '../../errors/request-errors';
import type { Context } from '../../graph/context';

/** What GET and POST /graphql run; subscriptions have transports of their own (server/live). */
const OVER_HTTP = new Set(['query', 'mutation']);

/**
 * A subscription sent as a plain request is refused with OPERATION_NOT_SUPPORTED before limits and
 * authorization look at it: Apollo would execute it as if it were a query, and its fields, which
 * only yield events to a subscriber, would fail as a bug. The answer says where subscriptions run.
 */
export function operationTypesPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (!operation || OVER_HTTP.has(operation.operation)) return;
          throw new GraphQLError(SUBSCRIPTIONS_ELSEWHERE, {
            extensions: { code: 'OPERATION_NOT_SUPPORTED', operation: operation.operation, http: { status: 400 } },
          });
        },
      };
    },
  };
}
