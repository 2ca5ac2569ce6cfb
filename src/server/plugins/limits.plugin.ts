import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

import type { LimitSettings } from '../../config/settings';
import type { Context } from '../../graph/context';
import { fragmentsOf } from '../../graph/resolvers/operation-parts';
import { queryCost } from '../limits/query-cost';

// graphql-js 16 spells it "more that".
const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] \d+ tokens/;

/**
 * The cost limit (checked once the operation and its variables are known, before execution) and a
 * uniform code for every limit: the token limit (graphql-js reports it as a syntax error) and
 * graphql-armor's depth/alias/directive rules (Apollo reports them as validation failures).
 */
export function limitsPlugin(limits: LimitSettings): ApolloServerPlugin<Context> {
  const options = {
    defaultPageSize: limits.defaultPageSize,
    maxPageSize: limits.maxPageSize,
    listSize: limits.costListSize,
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const cost = queryCost(schema, operation, fragmentsOf(document), request.variables ?? {}, options);
          if (cost > limits.maxCost) {
            throw new GraphQLError(
              `The query is too expensive: its estimated cost ${cost} exceeds ${limits.maxCost}. Ask for smaller pages or fewer nested lists.`,
              {
                extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost: limits.maxCost, http: { status: 400 } },
              },
            );
          }
        },
        // Apollo wraps parse and validation errors under its own codes; a limit keeps QUERY_TOO_COMPLEX.
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const original = error.originalError;
            const limit =
              TOKEN_LIMIT.test(error.message) ||
              (original instanceof GraphQLError && original.extensions.code === 'QUERY_TOO_COMPLEX');
            if (limit) (error.extensions as Record<string, unknown>).code = 'QUERY_TOO_COMPLEX';
          }
        },
      };
    },
  };
}
