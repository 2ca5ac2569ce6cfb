import { GraphQLError, isListType, isNonNullType, isObjectType, responsePathAsArray } from 'graphql';
import type {
  GraphQLFormattedError,
  GraphQLOutputType,
  GraphQLResolveInfo,
  GraphQLSchema,
  SourceLocation,
} from 'graphql';

import { GatewayError } from '../errors/gateway-error';

/** Coded errors of fields that answered with an empty value instead of failing, per request. */
const deferred = new WeakMap<object, GraphQLError[]>();

/**
 * Keeps one failing upstream from taking the whole answer with it. Connections are nullable (a
 * failed one is null with its error, never an empty page that reads as "nothing there"), but the
 * contract declares plain lists non-null (`sensors: [Sensor!]!`, `Host.applications:
 * [Application!]!`), and GraphQL propagates an error in a non-null field to its nearest nullable
 * parent: KATA being down would null `data` itself, MDR incidents included. For these fields only, a
 * coded gateway error (upstream failure, upstream not configured, bad input) becomes an empty list
 * plus the same error at the field's path, so the rest of the answer still arrives. Bugs still
 * propagate.
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
  return isListType(type) ? () => [] : undefined;
}

/** Codes that say an upstream as a whole is failing, whatever the call: one outage, one error. */
const OUTAGE_CODES = new Set([
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_AUTH_FAILED',
  'UPSTREAM_NOT_CONFIGURED',
]);

/**
 * One error per upstream failure per response, however many fields it nulled: an MDR outage under
 * a page of 100 hosts is one error, not 100. Errors naming an upstream are merged, those of an
 * outage code by upstream and code (the first message stands for them all), the others only when
 * identical; the merged error keeps the first `path` and lists every affected path in
 * `extensions.paths`. Errors without an upstream are left as they are.
 */
export function oneErrorPerUpstream(errors: readonly GraphQLFormattedError[]): GraphQLFormattedError[] {
  type Group = {
    first: GraphQLFormattedError;
    paths: GraphQLFormattedError['path'][];
    locations: Map<string, SourceLocation>;
  };
  const entries: (GraphQLFormattedError | Group)[] = [];
  const groups = new Map<string, Group>();
  for (const error of errors) {
    const upstream = error.extensions?.upstream;
    if (typeof upstream !== 'string' || !error.path) {
      entries.push(error);
      continue;
    }
    const { paths: _paths, ...extensions } = error.extensions ?? {};
    const code = String(extensions.code);
    const key = JSON.stringify(OUTAGE_CODES.has(code) ? [upstream, code] : [upstream, code, error.message, extensions]);
    let group = groups.get(key);
    if (!group) {
      group = { first: { ...error, extensions }, paths: [], locations: new Map() };
      groups.set(key, group);
      entries.push(group);
    }
    group.paths.push(error.path);
    for (const l of error.locations ?? []) group.locations.set(`${l.line}:${l.column}`, l);
  }
  return entries.map((e) =>
    'paths' in e
      ? {
          ...e.first,
          ...(e.locations.size > 0 ? { locations: [...e.locations.values()] } : {}),
          extensions: { ...e.first.extensions, paths: e.paths },
        }
      : e,
  );
}
