import type { UpstreamName } from '../errors/upstream-error';
import type { Logger } from '../logger';
import type { GatewayMetrics } from '../metrics';

/** What every upstream client offers the gateway besides its domain verbs. */
export interface UpstreamClient {
  readonly upstream: UpstreamName;
  /** The cheapest authenticated call (Test Connection); throws an UpstreamError when it fails. */
  ping(): Promise<void>;
  /** Ends sessions and closes connection pools (graceful shutdown). */
  close(): Promise<void>;
}

/** Process-wide dependencies handed to every client factory. */
export interface UpstreamDeps {
  logger: Logger;
  metrics?: GatewayMetrics;
  /** Durable local state (token store). */
  stateDir: string;
}
