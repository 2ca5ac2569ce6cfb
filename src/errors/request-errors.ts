import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError } from 'graphql';

/** What a request error tells the client: a code, and where the library's words are not fit, ours and a reason. */
export interface RequestErrorShape {
  code: string;
  /** A stable name of the mistake, for BAD_REQUEST (whose code alone says only "not a GraphQL request"). */
  reason?: string;
  message?: string;
}

interface KnownRequestError {
  /** The library's code for it (undefined: none). */
  from: string | undefined;
  message: RegExp;
  code: string;
  reason?: string;
  say: (match: RegExpMatchArray) => string;
}

const known = (
  message: RegExp,
  code: string,
  reason: string | undefined,
  say: string | KnownRequestError['say'],
  from: string | undefined = code === 'BAD_REQUEST' ? 'BAD_REQUEST' : undefined,
): KnownRequestError => ({ from, message, code, reason, say: typeof say === 'string' ? () => say : say });

/** Where subscriptions run (server/live): GET and POST /graphql run queries and mutations only. */
export const SUBSCRIPTIONS_ELSEWHERE =
  'Subscriptions run over GraphQL over WebSocket (on /graphql) or GraphQL over SSE (/graphql/stream), not as a request.';

/**
 * Request errors Apollo Server and graphql-js raise in words of their own, some without any code:
 * the client's mistakes, each given a code, a reason where the code is BAD_REQUEST, and our words.
 * Known by their message; one a library upgrade rewords keeps its own message and code (or the
 * fallback below), never INTERNAL_SERVER_ERROR, and the fuzz test (request-mistakes-fuzz.test.ts)
 * fails on a BAD_REQUEST without a reason.
 */
const KNOWN: readonly KnownRequestError[] = [
  known(
    /^provided sha does not match query$/,
    'PERSISTED_QUERY_HASH_MISMATCH',
    undefined,
    'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it.',
  ),
  known(
    /^Unsupported persisted query version$/,
    'PERSISTED_QUERY_NOT_SUPPORTED',
    undefined,
    'Only version 1 of persisted queries is supported.',
  ),
  known(
    /^Too many errors processing variables/,
    'BAD_USER_INPUT',
    undefined,
    'Too many invalid variable values: the first 50 are reported.',
  ),
  known(
    /^Schema is not configured to execute (\w+) operation/,
    'OPERATION_NOT_SUPPORTED',
    undefined,
    (m) => `This gateway does not run ${m[1]} operations.`,
  ),
  known(
    /^GET requests only support query operations, not subscription operations$/,
    'OPERATION_NOT_SUPPORTED',
    undefined,
    SUBSCRIPTIONS_ELSEWHERE,
    'BAD_REQUEST',
  ),
  known(
    /^This operation has been blocked as a potential Cross-Site Request Forgery/,
    'BAD_REQUEST',
    'csrf',
    'Refused as a possible cross-site request forgery: send content-type: application/json, or an apollo-require-preflight header.',
  ),
  known(
    /^Operation batching disabled\.$/,
    'BAD_REQUEST',
    'batch',
    'Batched requests (a JSON array) are not accepted: send one operation per request.',
  ),
  known(
    /^No operations found in request\.$/,
    'BAD_REQUEST',
    'batch',
    'Batched requests (a JSON array) are not accepted: send one operation per request.',
  ),
  known(
    /^The '(\w+)' search parameter may only be specified once\.$/,
    'BAD_REQUEST',
    'repeated_parameter',
    (m) => `The ${m[1]} parameter is given more than once.`,
  ),
  known(
    /^The (\w+) search parameter (contains invalid JSON|should contain a JSON-encoded object)\.$/,
    'BAD_REQUEST',
    'invalid_parameter',
    (m) => `The ${m[1]} parameter must be a JSON object.`,
  ),
  known(/^GraphQL queries must be strings\./, 'BAD_REQUEST', 'query_not_string', 'query must be a string.'),
  known(
    /^POST body missing, invalid Content-Type, or JSON object has no keys\.$/,
    'BAD_REQUEST',
    'no_graphql_body',
    'A POST must carry a JSON object with a query, as content-type: application/json.',
  ),
  known(/^`variables` in a POST body /, 'BAD_REQUEST', 'variables_not_object', 'variables must be a JSON object.'),
  known(/^`extensions` in a POST body /, 'BAD_REQUEST', 'extensions_not_object', 'extensions must be a JSON object.'),
  known(
    /^`operationName` in a POST body /,
    'BAD_REQUEST',
    'operation_name_not_string',
    'operationName must be a string.',
  ),
  known(
    /^GET requests may not have a content-type header/,
    'BAD_REQUEST',
    'content_type',
    'A GET may carry no content-type other than application/json.',
  ),
  known(/^Apollo Server supports only GET\/POST requests\.$/, 'BAD_REQUEST', 'method', 'Use GET or POST.'),
  known(
    /^An 'accept' header was provided for this request which does not accept/,
    'BAD_REQUEST',
    'not_acceptable',
    'The accept header admits neither application/json nor application/graphql-response+json.',
  ),
  known(
    /received an operation that uses incremental delivery/i,
    'BAD_REQUEST',
    'incremental_delivery',
    '@defer and @stream need an accept header admitting multipart/mixed.',
  ),
  known(
    /^GraphQL operations must contain a non-empty `query`/,
    'BAD_REQUEST',
    'no_query',
    'The request has no query (nor a persisted-query hash).',
  ),
  known(
    /^GET requests only support query operations, not mutation operations$/,
    'BAD_REQUEST',
    'mutation_over_get',
    'A mutation must be sent as a POST.',
  ),
];

/**
 * The code of a request error, and our wording (with a reason for BAD_REQUEST) where the library's
 * is not fit for a client: by its message among those known; else its own code; else
 * BAD_USER_INPUT for one located in the document (an argument, a variable) and BAD_REQUEST for
 * one about the request as a whole.
 */
export function requestErrorShape(error: unknown): RequestErrorShape {
  const original = unwrapResolverError(error) as GraphQLError;
  const own = [error as GraphQLError, original].map((e) => e.extensions?.code).find((c) => typeof c === 'string');
  for (const k of KNOWN) {
    if (own !== k.from) continue;
    const match = original.message.match(k.message);
    if (match) return { code: k.code, reason: k.reason, message: k.say(match) };
  }
  if (typeof own === 'string') return { code: own };
  return { code: original.locations?.length || original.path ? 'BAD_USER_INPUT' : 'BAD_REQUEST' };
}
