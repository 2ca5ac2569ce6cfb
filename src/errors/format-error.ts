import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';

import { GatewayError } from './gateway-error';
import { requestErrorShape } from './request-errors';
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
    const { code, reason, message = base.message } = requestErrorShape(error);
    return {
      ...base,
      message: withoutSuggestions(message),
      extensions: { ...extensions, code, ...(reason ? { reason } : {}) },
    };
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
