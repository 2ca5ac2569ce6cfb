import type { ApolloServerPlugin } from '@apollo/server';

import { formatError } from '../../errors/format-error';
import { GatewayError } from '../../errors/gateway-error';
import type { Context } from '../../graph/context';
import { oneErrorPerUpstream, takePartialFailures } from '../../graph/partial-failures';
import type { GatewayMetrics } from '../../metrics';

/**
 * Adds the errors of fields that answered empty (graph/partial-failures.ts) to the response, then
 * folds the errors of one upstream failure into one (oneErrorPerUpstream).
 */
export function partialFailuresPlugin(metrics: GatewayMetrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operationName }) {
          if (response.body.kind !== 'single') return;
          const errors = takePartialFailures(contextValue);
          const result = response.body.singleResult;
          for (const error of errors) {
            const original = error.originalError as GatewayError;
            metrics.errors.inc({ code: original.code });
            contextValue.logger?.warn({ code: original.code, path: error.path, operationName }, original.message);
          }
          const all = [...(result.errors ?? []), ...errors.map((error) => formatError(error.toJSON(), error))];
          if (all.length > 0) result.errors = oneErrorPerUpstream(all);
        },
      };
    },
  };
}
