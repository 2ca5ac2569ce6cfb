import type { AnyErrorCode } from './codes';

/**
 * Stable error codes clients can branch on (`extensions.code`), each documented in codes.ts.
 * Adding a code is a minor change; renaming one breaks frontends.
 */
export type ErrorCode = AnyErrorCode;

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
