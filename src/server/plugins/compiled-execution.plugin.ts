import { HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { BREAK, getVariableValues, visit } from 'graphql';
import type { DocumentNode, GraphQLError, GraphQLFormattedError } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import type { CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

import type { Context } from '../../graph/context';
import type { GatewayMetrics } from '../../metrics';

export interface CompiledExecutionOptions {
  /**
   * Runs of a query interpreted by graphql-js before it is compiled (0: compiled at once); null:
   * every operation is interpreted (GRAPHQL_EXECUTOR=interpreted).
   */
  compileAfter: number | null;
  metrics: GatewayMetrics;
  /** The gateway's error shaping, as Apollo applies it to interpreted runs. */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  /** What the plugins' didEncounterErrors hooks do for interpreted runs. */
  onErrors(requestContext: GraphQLRequestContext<Context>, errors: readonly GraphQLError[]): void;
}

interface OperationRuns {
  runs: number;
  /** null: it stays interpreted (graphql-jit cannot compile it, or should not: unsafeToCompile). */
  compiled?: CompiledQuery | null;
}

/**
 * Runs queries that have run before as functions compiled for them (graphql-jit) instead of
 * graphql-js's interpreter: no per-field lookups of the operation and the schema, plain result
 * objects (graphql-js builds null-prototype ones, which V8 keeps as slow dictionaries). A triage
 * page's work after its last upstream answer falls from about 3.2 ms to 2.0 (README, Performance).
 *
 * Only queries: mutations run once each, in order, and stay with graphql-js. A document seen for
 * the first time (a playground's ad-hoc query, introspection) is interpreted: compiling costs more
 * than one run and would hand a client that sends ever-new documents a cheap way to spend our CPU.
 * Compiled functions are kept for the 500 documents used last (a triage page's takes about 75 kB),
 * keyed by the parsed document Apollo's cache hands out for the same query text.
 * Apollo does not call plugins' executionDidStart (nor willResolveField) for an answer given here:
 * what the gateway's plugins do before execution they do in didResolveOperation.
 */
export function compiledExecutionPlugin(options: CompiledExecutionOptions): ApolloServerPlugin<Context> {
  const byDocument = new LRUCache<DocumentNode, Map<string, OperationRuns>>({ max: 500 });
  const compiledRuns = options.metrics.executions.labels('compiled');
  const interpretedRuns = options.metrics.executions.labels('interpreted');

  function compiledFor({ schema, document, operationName }: GraphQLRequestContext<Context>): CompiledQuery | null {
    let operations = byDocument.get(document!);
    if (!operations) byDocument.set(document!, (operations = new Map()));
    const key = operationName ?? '';
    let entry = operations.get(key);
    if (!entry) operations.set(key, (entry = { runs: 0 }));
    if (entry.compiled !== undefined) return entry.compiled;
    if (entry.runs++ < options.compileAfter!) return null;
    if (unsafeToCompile(document!)) return (entry.compiled = null);
    const compiled = compileQuery(schema, document!, operationName ?? undefined);
    entry.compiled = isCompiledQuery(compiled) ? compiled : null;
    return entry.compiled;
  }

  return {
    async requestDidStart() {
      return {
        async responseForOperation(requestContext) {
          const { schema, operation, request, contextValue } = requestContext;
          const compiled =
            operation?.operation === 'query' && options.compileAfter !== null ? compiledFor(requestContext) : null;
          const variables = request.variables ?? {};
          // Variables that do not coerce are graphql-js's to report, with its messages and codes;
          // no resolver runs in either case.
          if (!compiled || getVariableValues(schema, operation!.variableDefinitions ?? [], variables).errors) {
            interpretedRuns.inc();
            return null;
          }
          compiledRuns.inc();

          const result = await compiled.query(undefined, contextValue, variables);
          const http = { status: undefined as number | undefined, headers: new HeaderMap() };
          if (!result.errors?.length) return { body: { kind: 'single', singleResult: { data: result.data } }, http };
          options.onErrors(requestContext, result.errors);
          const errors = result.errors.map((error) => options.formatError(enriched(error, http), error));
          return { body: { kind: 'single', singleResult: { data: result.data, errors } }, http };
        },
      };
    },
  };
}

/**
 * What graphql-jit cannot be given. It writes argument literals into the code it generates as
 * JSON, then turns its markers for what JSON cannot hold (`__MAGIC_DATE__…`, NaN, ±Infinity) back
 * into code with a regular expression: a string (or a name, in a JSON scalar's object literal)
 * carrying a marker would end the literal and inject JavaScript. And its result objects are not
 * null-prototype: a response key `__proto__` (an alias) came out of place. Such documents are
 * interpreted, never compiled.
 */
function unsafeToCompile(document: DocumentNode): boolean {
  let found = false;
  const check = (node: { value: string }) => {
    if (!node.value.includes('__MAGIC_') && node.value !== '__proto__') return undefined;
    found = true;
    return BREAK;
  };
  visit(document, { StringValue: check, Name: check });
  return found;
}

/** What Apollo makes of an execution error before the gateway's formatError sees it. */
function enriched(error: GraphQLError, http: { status: number | undefined }): GraphQLFormattedError {
  const { http: head, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
  const status = (head as { status?: unknown } | undefined)?.status;
  if (typeof status === 'number') http.status = status;
  return { ...error.toJSON(), extensions: { ...extensions, code: extensions.code ?? 'INTERNAL_SERVER_ERROR' } };
}
