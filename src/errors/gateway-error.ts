/**
 * Stable error codes clients can branch on (`extensions.code`). Adding a code is a minor change;
 * renaming one breaks frontends.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'DEADLINE_EXCEEDED'
  | 'QUERY_TOO_COMPLEX'
  | 'CURSOR_EXPIRED'
  | 'UPSTREAM_NOT_CONFIGURED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_AUTH_FAILED'
  | 'UPSTREAM_FORBIDDEN'
  | 'UPSTREAM_REJECTED'
  | 'UPSTREAM_RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

export class GatewayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions & { details?: Record<string, unknown> },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.details = options?.details;
  }

  /** Safe, client-facing extras (never upstream bodies). */
  readonly details?: Record<string, unknown>;
}

export class BadInputError extends GatewayError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('BAD_USER_INPUT', message, { details });
  }
}

export class NotFoundError extends GatewayError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('NOT_FOUND', message, details ? { details } : undefined);
  }
}
