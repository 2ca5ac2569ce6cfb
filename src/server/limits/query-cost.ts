import { Kind, getNamedType, getNullableType, isCompositeType, isListType, typeFromAST } from 'graphql';
import type {
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
} from 'graphql';

export interface QueryCostOptions {
  /** Items assumed for a connection asked without `first` (GRAPHQL_DEFAULT_PAGE_SIZE). */
  defaultPageSize: number;
  /** `first` above this is refused by the resolver anyway (GRAPHQL_MAX_PAGE_SIZE). */
  maxPageSize: number;
  /** Items assumed for a list field with no `first` (GRAPHQL_COST_LIST_SIZE). */
  listSize: number;
}

/**
 * Estimated number of objects an operation makes the gateway resolve: every object-typed field
 * costs 1 per time it is reached, and a field's children are multiplied by how many items it
 * returns: `first` or `last` (or the default page size) for a connection, the number of `ids` for
 * `nodes(ids:)`, `listSize` for other lists. So `first: 100` four deep costs about 100⁴.
 *
 * graphql-armor's cost limit weighs each field by a fixed factor and cannot read `first`, hence this
 * rule. Runs after validation (fragments are known to be acyclic) with the request's variables;
 * each fragment's cost is computed once, so the walk is linear in the document.
 */
export function queryCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>>,
  options: QueryCostOptions,
): number {
  const fragmentCosts = new Map<string, number>();

  const multiplier = (
    field: GraphQLField<unknown, unknown>,
    parent: GraphQLNamedType,
    args: readonly { name: { value: string }; value: ValueNode }[],
  ): number => {
    const returned = getNullableType(field.type);
    const arg = (name: string) => args.find((a) => a.name.value === name)?.value;
    if (field.args.some((a) => a.name === 'first')) {
      // Backward pages (`last`) hold as many items; with both, Relay keeps the fewer.
      const sizes = [intValue(arg('first'), variables), intValue(arg('last'), variables)].filter(
        (n): n is number => n !== undefined,
      );
      const items = sizes.length ? Math.min(...sizes) : options.defaultPageSize;
      return Math.min(Math.max(items, 0), options.maxPageSize);
    }
    if (!isListType(returned)) return 1;
    // A connection's edges/nodes lists were already counted by the connection's `first`.
    if (parent.name.endsWith('Connection')) return 1;
    const ids = listLength(arg('ids'), variables);
    return ids ?? options.listSize;
  };

  const selectionCost = (selectionSet: SelectionSetNode, type: GraphQLCompositeType): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      switch (selection.kind) {
        case Kind.FIELD: {
          if (!selection.selectionSet || selection.name.value.startsWith('__')) break;
          if (!('getFields' in type)) break;
          const field = type.getFields()[selection.name.value];
          if (!field) break;
          const child = getNamedType(field.type);
          if (!isCompositeType(child)) break;
          total +=
            multiplier(field, type, selection.arguments ?? []) * (1 + selectionCost(selection.selectionSet, child));
          break;
        }
        case Kind.INLINE_FRAGMENT: {
          const on = selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : type;
          total += selectionCost(selection.selectionSet, isCompositeType(on) ? on : type);
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          let cost = fragmentCosts.get(name);
          if (cost === undefined) {
            const fragment = fragments[name];
            const on = fragment ? typeFromAST(schema, fragment.typeCondition) : undefined;
            cost = fragment && isCompositeType(on) ? selectionCost(fragment.selectionSet, on) : 0;
            fragmentCosts.set(name, cost);
          }
          total += cost;
          break;
        }
      }
    }
    return total;
  };

  const root = schema.getRootType(operation.operation);
  return root ? selectionCost(operation.selectionSet, root) : 0;
}

function intValue(node: ValueNode | undefined, variables: Readonly<Record<string, unknown>>): number | undefined {
  if (!node) return undefined;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const value = variables[node.name.value];
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }
  return undefined;
}

function listLength(node: ValueNode | undefined, variables: Readonly<Record<string, unknown>>): number | undefined {
  if (!node) return undefined;
  if (node.kind === Kind.LIST) return node.values.length;
  if (node.kind === Kind.VARIABLE) {
    const value = variables[node.name.value];
    return Array.isArray(value) ? value.length : value === undefined || value === null ? undefined : 1;
  }
  return 1;
}
