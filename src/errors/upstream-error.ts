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
    options?: ErrorOptions & { status?: number; retryable?: boolean; details?: Record<string, unknown> },
  ) {
    super(code, message, options);
    this.status = options?.status;
    this.retryable = options?.retryable ?? false;
  }

  readonly status?: number;
  readonly retryable: boolean;
}

/** An upstream that this deployment has no settings for. */
export class UpstreamNotConfiguredError extends UpstreamError {
  constructor(upstream: UpstreamName) {
    super(upstream, 'UPSTREAM_NOT_CONFIGURED', `${upstream.toUpperCase()} is not configured on this gateway.`);
  }
}
