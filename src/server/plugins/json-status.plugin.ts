import type { ApolloServerPlugin } from '@apollo/server';

import type { Context } from '../../graph/context';
import { prefersGraphqlResponseJson } from '../accept';

/** Errors of a well-formed request: its document or variables, not the HTTP request, are at fault. */
const DOCUMENT_ERRORS = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'QUERY_TOO_COMPLEX',
]);

/**
 * GraphQL over HTTP: a client that reads `application/json` (Apollo Client's `*\/*`, curl, older
 * libraries) gets 200 for a well-formed request whose document does not parse, validate or take
 * its variables, so the coded errors reach it as GraphQL errors, not as a transport failure.
 * Clients that ask for `application/graphql-response+json` keep the 4xx that media type defines.
 */
export function jsonStatusPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      const json = !prefersGraphqlResponseJson(request.http?.headers.get('accept'));
      return {
        async willSendResponse({ response }) {
          if (!json || response.http.status !== 400 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const codes = (result.errors ?? []).map((e) => e.extensions?.code);
          if (result.data === undefined && codes.length && codes.every((c) => DOCUMENT_ERRORS.has(String(c)))) {
            response.http.status = 200;
          }
        },
      };
    },
  };
}
