import { GraphQLError, isListType, isNonNullType, isObjectType, responsePathAsArray } from 'graphql';
import type { GraphQLOutputType, GraphQLResolveInfo, GraphQLSchema } from 'graphql';

import { GatewayError } from '../errors/gateway-error';

/** Coded errors of fields that answered with an empty value instead of failing, per request. */
const deferred = new WeakMap<object, GraphQLError[]>();

const EMPTY_PAGE_INFO = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };

/**
 * Keeps one failing upstream from taking the whole answer with it. The contract declares lists and
 * connections non-null (`hosts: HostConnection!`, `Host.applications: [Application!]!`), and GraphQL
 * propagates an error in a non-null field to its nearest nullable parent: KSC being down would null
 * `data` itself, MDR incidents included. For these fields only, a coded gateway error (upstream
 * failure, upstream not configured, bad input) becomes an empty list or connection plus the same
 * error at the field's path, so the rest of the answer still arrives. Bugs still propagate.
 */
export function withPartialFailures(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve || !isNonNullType(field.type)) continue;
      const empty = emptyValue(field.type.ofType);
      if (!empty) continue;
      // Synchronous when the resolver is: most of these are type-graphql's readers of a plain
      // property (a connection's nodes and edges), and an async wrapper made each of them a
      // promise, so every object holding one completed a microtask later, on the answer's path.
      field.resolve = (source, args, context, info) => {
        try {
          const result: unknown = resolve(source, args, context, info);
          if (!isPromiseLike(result)) return result;
          return Promise.resolve(result).catch((error: unknown) => recovered(error, context, info, empty));
        } catch (error) {
          return recovered(error, context, info, empty);
        }
      };
    }
  }
  return schema;
}

/** The errors recorded for one request's context (and forgets them). */
export function takePartialFailures(context: object): GraphQLError[] {
  const errors = deferred.get(context) ?? [];
  deferred.delete(context);
  return errors;
}

/** The field's empty value for a coded gateway error, which is kept for the response; others rethrown. */
function recovered(error: unknown, context: unknown, info: GraphQLResolveInfo, empty: () => unknown): unknown {
  if (!(error instanceof GatewayError) || typeof context !== 'object' || context === null) throw error;
  const errors = deferred.get(context) ?? [];
  errors.push(
    new GraphQLError(error.message, {
      nodes: info.fieldNodes,
      path: responsePathAsArray(info.path),
      originalError: error,
    }),
  );
  deferred.set(context, errors);
  return empty();
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

function emptyValue(type: GraphQLOutputType): (() => unknown) | undefined {
  if (isListType(type)) return () => [];
  if (isObjectType(type) && type.name.endsWith('Connection')) {
    const counted = 'totalCount' in type.getFields();
    return () => ({ edges: [], nodes: [], pageInfo: EMPTY_PAGE_INFO, ...(counted ? { totalCount: 0 } : {}) });
  }
  return undefined;
}
