import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { GraphQLError, execute, getVariableValues } from 'graphql';
import type { ExecutionResult, GraphQLSchema, SourceLocation } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import type { CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

interface Operation {
  /** Requests seen; compiled from the second on. */
  runs: number;
  compiled?: CompiledQuery | ExecutionResult;
}

/** Distinct operations remembered; a frontend sends a few dozen, the rest is recompiled. */
const OPERATIONS_KEPT = 500;
/**
 * Compiling costs 2–6 ms (the workloads in bench/queries), about a quarter of executing one: an
 * operation sent once (a playground experiment, a flood of distinct queries) is interpreted, one
 * sent again is compiled.
 */
const COMPILE_FROM_RUN = 2;

/**
 * Executes operations compiled by graphql-jit, through the executor interface Apollo Server offers
 * (`gateway`): parsing, validation, the limits and every plugin stay Apollo's; only execution
 * changes. graphql-js interprets the document on every request, builds objects per field for its
 * arguments and info, and null-prototype result objects that JSON.stringify encodes on its slow
 * path. The end of a triage page (from the last upstream answer to the encoded answer) went from
 * 3.5–3.7 ms to 2.6–2.7 ms, a host page's from 2.5–2.6 to 1.5–1.7 (bench timelines).
 */
export function compiledExecution(schema: GraphQLSchema): Gateway {
  const operations = new LRUCache<string, Operation>({ max: OPERATIONS_KEPT });
  return {
    async load() {
      return {
        executor: async ({ queryHash, document, operation, operationName, context, request }) => {
          // graphql-js coerces the variables in both cases, so that bad ones get its errors (which
          // Apollo Server answers with BAD_USER_INPUT and status 400).
          const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (variables.errors) return { errors: variables.errors };
          const key = `${queryHash}:${operationName ?? ''}`;
          const seen = operations.get(key) ?? { runs: 0 };
          seen.runs++;
          operations.set(key, seen);
          if (seen.runs >= COMPILE_FROM_RUN)
            seen.compiled ??= compileQuery(schema, document, operationName ?? undefined);
          if (!seen.compiled || !isCompiledQuery(seen.compiled)) {
            return execute({
              schema,
              document,
              operationName,
              contextValue: context,
              variableValues: variables.coerced,
            });
          }
          const result = await seen.compiled.query(undefined, context, variables.coerced);
          return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async stop() {},
  };
}

/**
 * graphql-jit's errors are its own kind (no `extensions` unless the cause had some, read-only
 * fields); Apollo Server and the error formatting expect graphql-js's, with the same message,
 * path, locations and cause.
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const { originalError } = error;
  const extensions = originalError instanceof GraphQLError ? originalError.extensions : error.extensions;
  const converted = new GraphQLError(error.message, { path: error.path, originalError, extensions });
  (converted as { locations?: readonly SourceLocation[] }).locations = error.locations;
  return converted;
}
