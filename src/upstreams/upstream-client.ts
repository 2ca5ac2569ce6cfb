import type { UpstreamName } from '../errors/upstream-error';
import type { Logger } from '../logger';
import type { GatewayMetrics } from '../metrics';
import type { SharedRedis } from '../state/redis';
import type { Transport } from './transport';

/** What every upstream client offers the gateway besides its domain verbs. */
export interface UpstreamClient {
  readonly upstream: UpstreamName;
  /** The cheapest authenticated call (Test Connection); throws an UpstreamError when it fails. */
  ping(): Promise<void>;
  /**
   * Whether the upstream's session is lost beyond what a retry mends (MDR refused the refresh
   * token): reported by /readyz. Absent where no such state exists.
   */
  sessionState?(): Promise<{ lost: boolean; reason?: string }>;
  /** Ends sessions and closes connection pools (graceful shutdown). */
  close(): Promise<void>;
  /**
   * This client as one GraphQL request uses it: its calls carry the request's signal. Shares
   * everything else (pool, session, tokens, limits) with the client it came from.
   */
  withSignal(signal: AbortSignal): this;
}

/**
 * A client whose calls go through `http`: the client itself underneath (prototype), so state
 * stays shared; clients assign their fields only in constructors, which keeps this sound.
 */
export function viewWith<C extends object>(client: C, http: Transport): C {
  // Assigned, not defined through a descriptor: Object.create's descriptors cost 0.6 µs a view.
  const view = Object.create(client) as C & { http: Transport };
  view.http = http;
  return view;
}

/** Process-wide dependencies handed to every client factory. */
export interface UpstreamDeps {
  logger: Logger;
  metrics?: GatewayMetrics;
  /** Durable local state (token store). */
  stateDir: string;
  /** State shared with other replicas (REDIS_URL); absent: this process alone. */
  shared?: { redis: SharedRedis; waitReplicas: number };
}
