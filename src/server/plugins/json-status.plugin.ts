import type { ApolloServerPlugin } from '@apollo/server';

import type { Context } from '../../graph/context';

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

/** Errors of a well-formed request: its document or variables, not the HTTP request, are at fault. */
const DOCUMENT_ERRORS = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'QUERY_TOO_COMPLEX',
]);

/** The weight `accept` gives a media type (exact type, then `type/*`, then `*\/*`); 0 when absent. */
function weightOf(accept: string, type: string): number {
  let best = -1;
  let specificity = -1;
  for (const range of accept.split(',')) {
    const [media = '', ...params] = range.trim().toLowerCase().split(';');
    const q = Number(
      params
        .map((p) => p.trim())
        .find((p) => p.startsWith('q='))
        ?.slice(2) ?? 1,
    );
    const rank = media === type ? 2 : media === `${type.split('/')[0]}/*` ? 1 : media === '*/*' ? 0 : -1;
    if (rank > specificity) [best, specificity] = [Number.isFinite(q) ? q : 0, rank];
  }
  return Math.max(best, 0);
}

/**
 * GraphQL over HTTP: a client that reads `application/json` (Apollo Client's `*\/*`, curl, older
 * libraries) gets 200 for a well-formed request whose document does not parse, validate or take
 * its variables, so the coded errors reach it as GraphQL errors, not as a transport failure.
 * Clients that ask for `application/graphql-response+json` keep the 4xx that media type defines.
 */
export function jsonStatusPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      const accept = request.http?.headers.get('accept') ?? '';
      // Apollo answers application/json unless graphql-response+json is preferred strictly.
      const json = !accept || weightOf(accept, GRAPHQL_RESPONSE_JSON) <= weightOf(accept, 'application/json');
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
