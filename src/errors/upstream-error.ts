import { GatewayError } from './gateway-error';
import type { ErrorCode } from './gateway-error';

export type UpstreamName = 'mdr' | 'ksc' | 'kata';

/**
 * A failure talking to a vendor API. The raw upstream answer goes in `cause` (for the log), never
 * into the message: messages reach clients.
 */
export class UpstreamError extends GatewayError {
  constructor(
    readonly upstream: UpstreamName,
    code: ErrorCode,
    message: string,
    options?: ErrorOptions & {
      status?: number;
      retryable?: boolean;
      mayHaveLanded?: boolean;
      details?: Record<string, unknown>;
    },
  ) {
    super(code, message, options);
    this.status = options?.status;
    this.retryable = options?.retryable ?? false;
    this.mayHaveLanded = options?.mayHaveLanded ?? false;
  }

  readonly status?: number;
  readonly retryable: boolean;
  /**
   * The call (or an earlier attempt of it) may have reached the upstream and been carried out
   * without an answer saying so: a reset or timeout after it was sent, a 5xx other than 503. A
   * write that fails so has an unknown outcome, not a failed one.
   */
  readonly mayHaveLanded: boolean;
}

/** An upstream that this deployment has no settings for. */
export class UpstreamNotConfiguredError extends UpstreamError {
  constructor(upstream: UpstreamName) {
    super(upstream, 'UPSTREAM_NOT_CONFIGURED', `${upstream.toUpperCase()} is not configured on this gateway.`);
  }
}
