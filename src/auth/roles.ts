import type { Caller, Role } from '../domain/caller';
import { ROLES } from '../domain/caller';

/** Each role includes everything the roles before it may do (ROLES is ordered weakest first). */
export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** Whether the caller holds `required` or a stronger role. */
export function hasRole(caller: Caller, required: Role): boolean {
  const need = roleRank(required);
  return caller.roles.some((role) => roleRank(role) >= need);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
