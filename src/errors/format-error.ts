import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';

import { GatewayError } from './gateway-error';
import { UpstreamError } from './upstream-error';

/** Codes Apollo Server and graphql-js produce for bad requests; passed through as they are. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_HASH_MISMATCH',
  'OPERATION_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
]);

/**
 * Request errors Apollo Server and graphql-js raise without a code, known by their message: the
 * client's mistakes, given a code and our words. A library upgrade that rewords one makes it fall
 * back to the generic code below, never to INTERNAL_SERVER_ERROR (request-mistakes-fuzz.test.ts).
 */
const UNCODED_REQUEST_ERRORS: readonly { message: RegExp; code: string; say: string }[] = [
  {
    message: /^provided sha does not match query$/,
    code: 'PERSISTED_QUERY_HASH_MISMATCH',
    say: 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it.',
  },
  {
    message: /^Unsupported persisted query version$/,
    code: 'PERSISTED_QUERY_NOT_SUPPORTED',
    say: 'Only version 1 of persisted queries is supported.',
  },
  {
    message: /^Too many errors processing variables/,
    code: 'BAD_USER_INPUT',
    say: 'Too many invalid variable values: the first 50 are reported.',
  },
  {
    message: /^Schema is not configured to execute (\w+) operation/,
    code: 'OPERATION_NOT_SUPPORTED',
    say: 'This gateway does not run this type of operation.',
  },
];

/**
 * The code of a request error (and our wording where the library's has none fit for a client):
 * its own code, else by its message; else BAD_USER_INPUT for one located in the document (an
 * argument, a variable) and BAD_REQUEST for one about the request as a whole.
 */
export function requestErrorCode(error: unknown): { code: string; message?: string } {
  const original = unwrapResolverError(error) as GraphQLError;
  for (const e of [error as GraphQLError, original]) {
    const code = e.extensions?.code;
    if (typeof code === 'string') return { code };
  }
  const known = UNCODED_REQUEST_ERRORS.find((k) => k.message.test(original.message));
  if (known) return { code: known.code, message: known.say };
  return { code: original.locations?.length || original.path ? 'BAD_USER_INPUT' : 'BAD_REQUEST' };
}

/** Whether an error is one we meant to show a client (as opposed to a bug). */
export function isExpectedError(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof GatewayError) return true;
  if (original instanceof GraphQLError) {
    const code = original.extensions?.code;
    // A GraphQLError without a code from inside a resolver is graphql-js's own coercion/validation.
    return typeof code !== 'string' || REQUEST_ERROR_CODES.has(code) || original.originalError === undefined;
  }
  return false;
}

/**
 * The one place errors are shaped for clients: coded gateway errors keep their message and code;
 * request errors pass through; anything else becomes "Unexpected error." (it is logged elsewhere
 * with its stack). Never a stack trace, upstream body or secret.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof GatewayError) {
    return {
      ...base,
      message: original.message,
      extensions: {
        code: original.code,
        ...(original instanceof UpstreamError ? { upstream: original.upstream.toUpperCase() } : {}),
        ...original.details,
      },
    };
  }
  if (isExpectedError(error)) {
    const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
    // Apollo has already written INTERNAL_SERVER_ERROR into `formatted` for an error without a code.
    const { code, message = base.message } = requestErrorCode(error);
    return { ...base, message: withoutSuggestions(message), extensions: { ...extensions, code } };
  }
  return { ...base, message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * graphql-js suggests names close to a wrong one ("Did you mean the enum value "OPEN"?") in
 * variable and input coercion errors too, where Apollo's `hideSchemaDetailsFromClientErrors` does
 * not reach: with introspection off, they would let a caller map the schema by guessing.
 */
function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean .+\?$/s, '');
}
