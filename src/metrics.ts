import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one gateway process. A registry per gateway instance (not the global one),
 * so several gateways in one test process do not collide.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'gateway_graphql_requests_total',
    help: 'GraphQL requests by operation name and outcome.',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: 'gateway_graphql_request_duration_seconds',
    help: 'GraphQL request latency by operation name.',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly errors = new Counter({
    name: 'gateway_graphql_errors_total',
    help: 'GraphQL errors by extensions.code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly executions = new Counter({
    name: 'gateway_graphql_executions_total',
    help: 'Executed operations by executor: compiled (graphql-jit; a query run before) or interpreted (graphql-js).',
    labelNames: ['executor'] as const,
    registers: [this.registry],
  });

  readonly upstreamCalls = new Counter({
    name: 'gateway_upstream_calls_total',
    help: 'Calls to vendor APIs by upstream, method and outcome (HTTP status or error code).',
    labelNames: ['upstream', 'method', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'gateway_upstream_call_duration_seconds',
    help: 'Vendor API call latency by upstream and method.',
    labelNames: ['upstream', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly mdrSessionLost = new Gauge({
    name: 'gateway_mdr_session_lost',
    help: '1 while MDR has refused the refresh token and no new one is configured (MDR fields fail at once), else 0.',
    registers: [this.registry],
  });

  readonly mdrRenewals = new Counter({
    name: 'gateway_mdr_session_renewals_total',
    help: 'MDR access tokens by how this process got them: confirmed (session/confirm), shared (another replica rotated), refused, failed.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly mdrRotationWindow = new Histogram({
    name: 'gateway_mdr_rotation_window_seconds',
    help: "From session/confirm's answer read to its new refresh token durable in the token store: a crash inside it loses the MDR session.",
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly redisConnected = new Gauge({
    name: 'gateway_redis_connected',
    help: '1 while the shared Redis (REDIS_URL) is connected, else 0; absent without REDIS_URL.',
    registers: [this.registry],
  });

  constructor({ defaultMetrics = true }: { defaultMetrics?: boolean } = {}) {
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
