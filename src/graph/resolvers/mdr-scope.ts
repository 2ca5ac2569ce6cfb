import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

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
  const walk = (set: SelectionSetNode | undefined): boolean =>
    !!set &&
    set.selections.some((s) => {
      if (s.kind === 'Field') return s.name.value === name;
      if (s.kind === 'InlineFragment') return walk(s.selectionSet);
      return walk(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => walk(node.selectionSet));
}

/** `undefined` for GraphQL nulls, so domain queries only carry what was given. */
export function given<T extends object>(input: T | null | undefined): { [K in keyof T]?: NonNullable<T[K]> } {
  if (!input) return {};
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]?: NonNullable<T[K]>;
  };
}
