/**
 * Every `extensions.code` a client can receive, with what it means: the stable part of every error
 * answer (docs/errors.md is checked against this table, and the sources against it, by a test).
 */
export const ERROR_CODES = {
  // The request itself (HTTP, document, variables): the caller's mistake, nothing ran.
  BAD_REQUEST:
    'The HTTP request is not a GraphQL request: body not JSON, no query, CSRF check failed, a batch, oversize body; extensions.reason says which.',
  METHOD_NOT_ALLOWED: 'An HTTP method other than GET or POST on /graphql.',
  GRAPHQL_PARSE_FAILED: 'The document does not parse.',
  GRAPHQL_VALIDATION_FAILED: 'The document asks for what the schema does not have, or breaks a GraphQL rule.',
  OPERATION_RESOLUTION_FAILURE: 'The document has several operations and operationName names none of them.',
  OPERATION_NOT_SUPPORTED:
    'The operation cannot run over this transport (a subscription over POST, a query over WebSocket or SSE).',
  PERSISTED_QUERY_NOT_FOUND: 'An automatic persisted query hash the gateway does not know: send the query with it.',
  PERSISTED_QUERY_NOT_SUPPORTED: 'A persisted query the gateway cannot take: a version other than 1.',
  PERSISTED_QUERY_HASH_MISMATCH:
    "An automatic persisted query's sha256Hash is not the SHA-256 of the query sent with it.",
  BAD_USER_INPUT:
    'An argument or variable is invalid: page size out of range, malformed cursor or id, bad KSC filter, too many variable errors.',
  QUERY_TOO_COMPLEX: 'The document breaks a limit: tokens, depth, aliases, directives, repeated fields or cost.',
  CURSOR_EXPIRED:
    'A subscription cursor older than the retention of changes, or from another gateway process: reload, then subscribe without one.',
  // Who is calling.
  UNAUTHENTICATED: 'No valid caller token (missing, expired, wrong issuer or audience, bad signature).',
  FORBIDDEN: "The caller's role does not allow this field or mutation, or the token grants no gateway role.",
  RATE_LIMITED:
    'Too many requests from this caller, or too many failed authentications from this address; retry after Retry-After.',
  // What was asked for.
  NOT_FOUND:
    'The object a lookup or mutation addresses does not exist, or belongs to a tenant the caller does not see.',
  CONFLICT:
    'The object is no longer in a state that allows the action: a response already decided (its state is in extensions.status and vendorStatus).',
  DEADLINE_EXCEEDED: 'The request ran past GRAPHQL_REQUEST_TIMEOUT_MS; outstanding upstream calls were cancelled.',
  // The vendors behind the gateway.
  UPSTREAM_NOT_CONFIGURED: 'The upstream behind this field has no settings on this gateway.',
  UPSTREAM_UNAVAILABLE: 'The vendor API failed (5xx, connection refused or reset) after retries.',
  UPSTREAM_TIMEOUT: 'The vendor API did not answer in time.',
  UPSTREAM_RATE_LIMITED: 'The vendor API is throttling the gateway.',
  UPSTREAM_AUTH_FAILED: "The vendor refused the gateway's own credentials (the message says what to renew).",
  UPSTREAM_FORBIDDEN:
    "The vendor refused the action for the gateway's account or API connection (MDR, KSC and KATA alike).",
  UPSTREAM_REJECTED: 'The vendor rejected the request as invalid.',
  // A bug.
  INTERNAL_SERVER_ERROR: 'A bug: logged with its stack, answered as "Unexpected error."',
} as const satisfies Record<string, string>;

export type AnyErrorCode = keyof typeof ERROR_CODES;
