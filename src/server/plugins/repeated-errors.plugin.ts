import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';

import type { Context } from '../../graph/context';

/**
 * A request error made at several places (graphql-js reports an unknown directive once per use,
 * for instance) is reported once, with every location: the answer to a document that repeats one
 * mistake stays one error long instead of growing with the document. Errors of an answer with data
 * (field errors, each with its own path) are left as they are.
 */
export function repeatedErrorsPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.data !== undefined || !result.errors || result.errors.length < 2) return;
          const once = new Map<string, GraphQLFormattedError>();
          for (const error of result.errors) {
            const key = JSON.stringify([error.message, error.path ?? null, error.extensions ?? null]);
            const first = once.get(key);
            once.set(
              key,
              first ? { ...first, locations: [...(first.locations ?? []), ...(error.locations ?? [])] } : error,
            );
          }
          if (once.size < result.errors.length) result.errors = [...once.values()];
        },
      };
    },
  };
}
