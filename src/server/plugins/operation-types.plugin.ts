import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

import type { Context } from '../../graph/context';

/**
 * An operation whose type the schema has no root for (a `subscription`: the gateway offers none
 * yet) is refused with OPERATION_NOT_SUPPORTED before limits and authorization look at it;
 * graphql-js would otherwise fail it only at execution, in words of its own. Following the
 * schema, the refusal lifts by itself for subscriptions once a Subscription type (and a transport
 * that streams, which POST /graphql is not) is added.
 */
export function operationTypesPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, operation }) {
          if (!operation || schema.getRootType(operation.operation)) return;
          throw new GraphQLError(`This gateway does not run ${operation.operation} operations.`, {
            extensions: { code: 'OPERATION_NOT_SUPPORTED', operation: operation.operation, http: { status: 400 } },
          });
        },
      };
    },
  };
}
