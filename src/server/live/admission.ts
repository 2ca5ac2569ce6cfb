import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode, ValidationRule } from 'graphql';

import type { LimitSettings } from '../../config/settings';
import type { Caller } from '../../domain/caller';
import { fragmentsOf } from '../../graph/resolvers/operation-parts';
import { fieldRepeatedOver } from '../limits/field-repeats';
import { queryCost } from '../limits/query-cost';
import { operationRefusal } from '../plugins/authorization.plugin';

export interface AdmissionOptions {
  schema: GraphQLSchema;
  limits: LimitSettings;
  /** graphql-armor's depth, alias and directive rules, as POST /graphql runs them. */
  rules: readonly ValidationRule[];
  introspection: boolean;
}

export interface Admitted {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

/**
 * The checks POST /graphql makes before anything runs, for a subscription document arriving over
 * WebSocket or SSE: token limit, repeated fields, validation with the same limits, cost, and the
 * caller's role for every root field. Refusals carry the same codes as over HTTP.
 */
export function admitSubscription(
  { schema, limits, rules, introspection }: AdmissionOptions,
  caller: Caller,
  request: { query?: unknown; operationName?: string | null; variables?: Record<string, unknown> | null },
): Admitted | GraphQLError[] {
  if (typeof request.query !== 'string' || !request.query.trim()) {
    return [coded('The subscription has no query document.', 'BAD_REQUEST')];
  }
  let document: DocumentNode;
  try {
    document = parse(request.query, { maxTokens: limits.maxTokens });
  } catch (error) {
    const message = (error as Error).message;
    return [coded(message, /more tha[nt] \d+ tokens/.test(message) ? 'QUERY_TOO_COMPLEX' : 'GRAPHQL_PARSE_FAILED')];
  }
  const repeated = fieldRepeatedOver(document, limits.maxFieldRepeats);
  if (repeated) return [coded(repeated, 'QUERY_TOO_COMPLEX')];
  const invalid = validate(schema, document, [
    ...specifiedRules,
    ...rules,
    ...(introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ]);
  if (invalid.length) {
    return invalid.map((e) =>
      e.extensions.code ? e : coded(e.message, 'GRAPHQL_VALIDATION_FAILED', e.locations ? e : undefined),
    );
  }
  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (!operation) return [coded('Name the operation to run (operationName).', 'OPERATION_RESOLUTION_FAILURE')];
  if (operation.operation !== 'subscription') {
    return [
      coded(
        'WebSocket and SSE carry subscriptions; send queries and mutations to POST /graphql.',
        'OPERATION_NOT_SUPPORTED',
      ),
    ];
  }
  const cost = queryCost(schema, operation, fragmentsOf(document), request.variables ?? {}, {
    defaultPageSize: limits.defaultPageSize,
    maxPageSize: limits.maxPageSize,
    listSize: limits.costListSize,
  });
  if (cost > limits.maxCost) {
    return [
      new GraphQLError(`The subscription is too expensive: its estimated cost ${cost} exceeds ${limits.maxCost}.`, {
        extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost: limits.maxCost },
      }),
    ];
  }
  const refusal = operationRefusal(schema, document, operation, caller);
  if (refusal) return [refusal];
  return { document, operation };
}

function coded(message: string, code: string, at?: GraphQLError): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code },
    nodes: at?.nodes,
    source: at?.source,
    positions: at?.positions,
  });
}
