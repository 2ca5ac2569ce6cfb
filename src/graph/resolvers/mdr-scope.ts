import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

import type { Caller } from '../../domain/caller';

/**
 * Tenants a call may touch: the caller's (null = all) intersected with the filter's. `[]` means
 * nothing can match, so the resolver answers empty without an upstream call.
 */
export function scopeTenants(caller: Caller, requested: readonly string[] | null | undefined): string[] | undefined {
  if (caller.tenants === null) return requested ? [...requested] : undefined;
  if (!requested) return [...caller.tenants];
  return requested.filter((t) => caller.tenants!.includes(t));
}

/** Whether a record of `tenantName` (null = root) is visible to the caller; root is spelled ''. */
export function visibleTo(caller: Caller, tenantName: string | null): boolean {
  return caller.tenants === null || caller.tenants.includes(tenantName ?? '');
}

/** Whether the field being resolved selects `name` directly (fragments included). */
export function selects(info: GraphQLResolveInfo, name: string): boolean {
  return selectsPath(info, name);
}

/**
 * Whether the field being resolved selects the path of field names below it, one name per level
 * (`'nodes', 'affectedAssets', 'host'`), through fragments and aliases; arguments are not compared.
 */
export function selectsPath(info: GraphQLResolveInfo, ...path: string[]): boolean {
  return fieldsAt(info, ...path).length > 0;
}

/** Whether the connection field being resolved selects the path below its nodes, as `nodes` or `edges.node`. */
export function connectionSelects(info: GraphQLResolveInfo, ...path: string[]): boolean {
  return selectsPath(info, 'nodes', ...path) || selectsPath(info, 'edges', 'node', ...path);
}

/** The field nodes at the end of a path of field names below the field being resolved (see selectsPath). */
export function fieldsAt(info: GraphQLResolveInfo, ...path: string[]): FieldNode[] {
  return fieldsBelow(info.fieldNodes, info.fragments, ...path);
}

/** The field nodes at the end of a path of field names below `fields`, through fragments and aliases. */
export function fieldsBelow(
  fields: readonly FieldNode[],
  fragments: GraphQLResolveInfo['fragments'],
  ...path: string[]
): FieldNode[] {
  let matched: FieldNode[] = [...fields];
  for (const name of path) {
    const sets = matched.flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
    matched = [];
    const walk = (set: SelectionSetNode | undefined): void => {
      for (const s of set?.selections ?? []) {
        if (s.kind === 'Field') {
          if (s.name.value === name) matched.push(s);
        } else walk(s.kind === 'InlineFragment' ? s.selectionSet : fragments[s.name.value]?.selectionSet);
      }
    };
    sets.forEach(walk);
    if (matched.length === 0) return [];
  }
  return matched;
}

/** `undefined` for GraphQL nulls, so domain queries only carry what was given. */
export function given<T extends object>(input: T | null | undefined): { [K in keyof T]?: NonNullable<T[K]> } {
  if (!input) return {};
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]?: NonNullable<T[K]>;
  };
}
