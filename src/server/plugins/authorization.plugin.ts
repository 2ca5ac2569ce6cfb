import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { GraphQLError, Kind, getArgumentValues, getOperationAST, getVariableValues } from 'graphql';
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';

import { mayUse, requiredRole } from '../../auth/permissions';
import type { Caller } from '../../domain/caller';
import type { Context } from '../../graph/context';
import { fragmentsOf } from '../../graph/resolvers/operation-parts';

/**
 * Authorization for the whole operation, before anything executes: every root field must be
 * allowed to the caller's role (auth/permissions.ts), else the operation is refused with FORBIDDEN
 * and no resolver runs, so no upstream is called and nothing changes. Also writes the audit line of
 * every mutation: who, what, on which targets, with what result.
 */
export function authorizationPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let refusedBy: string | undefined;
      return {
        async didResolveOperation({ schema, document, operation, contextValue: { caller } }) {
          if (!operation) return;
          const refusal = operationRefusal(schema, document, operation, caller);
          if (refusal) {
            refusedBy = 'FORBIDDEN';
            throw refusal;
          }
        },
        async willSendResponse(requestContext) {
          audit(requestContext, refusedBy);
        },
      };
    },
  };
}

/**
 * Why the caller may not run the operation (a FORBIDDEN error), or undefined when it may: every root
 * field must be allowed to the caller's role. Queries, mutations and subscriptions alike.
 */
export function operationRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  caller: Caller,
): GraphQLError | undefined {
  const root = schema.getRootType(operation.operation)?.name ?? 'Mutation';
  if (caller.roles.length === 0) return forbidden('Your token grants no gateway role.', { fields: [] });
  const denied = rootFields(operation.selectionSet, fragmentsOf(document))
    .map((field) => field.name.value)
    .filter((name) => !name.startsWith('__') && !mayUse(caller, root, name));
  if (!denied.length) return undefined;
  const fields = [...new Set(denied)];
  return forbidden(`Your role may not use ${fields.map((f) => `${root}.${f}`).join(', ')}.`, {
    fields,
    requiredRoles: Object.fromEntries(fields.map((f) => [f, requiredRole(root, f)])),
  });
}

function forbidden(message: string, details: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', ...details, http: { status: 403 } } });
}

/**
 * The operation's root fields, through fragments. @skip/@include are ignored on purpose: a field
 * that might run is checked as if it will.
 */
function rootFields(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      fields.push(...rootFields(selection.selectionSet, fragments, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments[selection.name.value];
      if (fragment) fields.push(...rootFields(fragment.selectionSet, fragments, seen));
    }
  }
  return fields;
}

const MAX_TARGETS = 50;
/** Arguments that name what a mutation acts on (ids, host names, paths, file hashes), found anywhere in its input. */
const TARGET_KEY = /(^id$|^ids$|Id$|Ids$|Names$|^paths$|^sha256$|^md5$)/;

/** One structured line per mutation, whatever happened to it. */
function audit(requestContext: GraphQLRequestContext<Context>, refusedBy: string | undefined): void {
  const { document, schema, request, response, contextValue } = requestContext;
  const operation: OperationDefinitionNode | null | undefined =
    requestContext.operation ?? (document ? getOperationAST(document, request.operationName) : undefined);
  if (operation?.operation !== 'mutation' || !document) return;

  const body = response.body;
  const single = body?.kind === 'single' ? body.singleResult : undefined;
  const errors = single?.errors ?? [];
  const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')))];
  const executed = single?.data != null;
  const result =
    errors.length === 0
      ? 'ok'
      : errors.some((e) => e.extensions?.outcome === 'UNKNOWN')
        ? 'unknown'
        : !executed
          ? refusedBy || !requestContext.operation
            ? 'refused'
            : 'failed'
          : 'partial';
  const fields = rootFields(operation.selectionSet, fragmentsOf(document));

  contextValue.logger.info(
    {
      audit: 'mutation',
      subject: contextValue.caller.subject,
      roles: contextValue.caller.roles,
      tenants: contextValue.caller.tenants,
      operationName: request.operationName ?? operation.name?.value ?? null,
      fields: fields.map((f) => f.name.value),
      targets: targetsOf(schema, operation, fields, request.variables ?? {}),
      result,
      codes,
    },
    'audit',
  );
}

function targetsOf(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fields: FieldNode[],
  variables: Record<string, unknown>,
): Record<string, unknown> {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 });
  const values = coerced.coerced ?? {};
  const mutation = schema.getMutationType();
  const targets: Record<string, unknown> = {};
  for (const field of fields) {
    const definition = mutation?.getFields()[field.name.value];
    if (!definition) continue;
    try {
      const args = getArgumentValues(definition, field, values);
      const found: Record<string, unknown> = {};
      collectTargets(args, found, 0);
      targets[field.alias?.value ?? field.name.value] = found;
    } catch {
      targets[field.alias?.value ?? field.name.value] = 'invalid arguments';
    }
  }
  return targets;
}

function collectTargets(value: unknown, found: Record<string, unknown>, depth: number): void {
  if (depth > 4 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value.slice(0, MAX_TARGETS)) collectTargets(item, found, depth + 1);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (!TARGET_KEY.test(key)) collectTargets(item, found, depth + 1);
    else if (typeof item === 'string' || typeof item === 'number') {
      // The same key in several list items (rules[].sha256) becomes one list.
      const seen = found[key];
      found[key] = seen === undefined ? item : Array.isArray(seen) ? [...seen, item] : [seen, item];
    } else if (Array.isArray(item)) {
      found[key] =
        item.length > MAX_TARGETS ? [...item.slice(0, MAX_TARGETS), `… ${item.length - MAX_TARGETS} more`] : item;
    }
  }
}
