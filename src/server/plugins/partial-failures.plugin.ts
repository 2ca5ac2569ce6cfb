import type { ApolloServerPlugin } from '@apollo/server';

import { formatError } from '../../errors/format-error';
import { GatewayError } from '../../errors/gateway-error';
import type { Context } from '../../graph/context';
import { takePartialFailures } from '../../graph/partial-failures';
import type { GatewayMetrics } from '../../metrics';

/** Adds the errors of fields that answered empty (graph/partial-failures.ts) to the response. */
export function partialFailuresPlugin(metrics: GatewayMetrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operationName }) {
          const errors = takePartialFailures(contextValue);
          if (errors.length === 0 || response.body.kind !== 'single') return;
          for (const error of errors) {
            const original = error.originalError as GatewayError;
            metrics.errors.inc({ code: original.code });
            contextValue.logger?.warn({ code: original.code, path: error.path, operationName }, original.message);
          }
          const result = response.body.singleResult;
          result.errors = [...(result.errors ?? []), ...errors.map((error) => formatError(error.toJSON(), error))];
        },
      };
    },
  };
}
