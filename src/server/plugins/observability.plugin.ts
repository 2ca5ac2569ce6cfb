import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError } from 'graphql';

import { isExpectedError } from '../../errors/format-error';
import { requestErrorShape } from '../../errors/request-errors';
import { GatewayError } from '../../errors/gateway-error';
import type { Context } from '../../graph/context';
import type { GatewayMetrics } from '../../metrics';

/** The observability plugin, and its error accounting for execution Apollo does not run itself. */
export interface ObservabilityPlugin extends ApolloServerPlugin<Context> {
  /** What didEncounterErrors records, for compiled operations (compiled-execution.plugin.ts). */
  recordErrors(requestContext: GraphQLRequestContext<Context>, errors: readonly GraphQLError[]): void;
}

/**
 * Request metrics (count and latency by operation, errors by code) and the error log: unexpected
 * errors are logged with their stack here, since the client only ever sees "Unexpected error.".
 */
export function observabilityPlugin(metrics: GatewayMetrics): ObservabilityPlugin {
  const failed = new WeakSet<Context>();
  function recordErrors(
    { contextValue, operationName }: GraphQLRequestContext<Context>,
    errors: readonly GraphQLError[],
  ): void {
    failed.add(contextValue);
    for (const error of errors) {
      const original = unwrapResolverError(error);
      const code =
        original instanceof GatewayError
          ? original.code
          : isExpectedError(error)
            ? requestErrorShape(error).code
            : 'INTERNAL_SERVER_ERROR';
      metrics.errors.inc({ code });
      if (code === 'INTERNAL_SERVER_ERROR') {
        contextValue.logger?.error({ err: original, path: error.path, operationName }, 'unexpected error');
      } else if (original instanceof GatewayError && original.cause) {
        contextValue.logger?.warn(
          { code, path: error.path, operationName, cause: describeCause(original.cause) },
          original.message,
        );
      }
    }
  }
  return {
    recordErrors,
    async requestDidStart() {
      const started = performance.now();
      return {
        async didEncounterErrors(requestContext) {
          recordErrors(requestContext, requestContext.errors);
        },
        async willSendResponse({ operationName, contextValue }) {
          const seconds = (performance.now() - started) / 1000;
          const operation = operationName ?? 'anonymous';
          const outcome = failed.has(contextValue) ? 'error' : 'ok';
          // Recorded once the answer is written: label lookups and buckets are not the caller's wait.
          setImmediate(() => {
            metrics.requestDuration.observe({ operation }, seconds);
            metrics.requests.inc({ operation, outcome });
          });
        },
      };
    },
  };
}

/** Enough of an upstream failure to debug it from the log; bodies are cut short. */
function describeCause(cause: unknown): unknown {
  if (cause instanceof Error)
    return { name: cause.name, message: cause.message, code: (cause as { code?: unknown }).code };
  if (typeof cause === 'string') return cause.slice(0, 500);
  try {
    return JSON.stringify(cause).slice(0, 500);
  } catch {
    return String(cause);
  }
}
