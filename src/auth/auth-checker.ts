import type { AuthCheckerFn } from 'type-graphql';

import { GatewayError } from '../errors/gateway-error';
import type { Context } from '../graph/context';
import { hasRole, isRole } from './roles';

/**
 * type-graphql's check for `@Authorized(...roles)`: the caller needs one of the listed roles or a
 * stronger one (roles are ordered). Most rules live in auth/permissions.ts and are checked before
 * execution; this covers decorators on fields deeper in the graph.
 */
export const gatewayAuthChecker: AuthCheckerFn<Context> = ({ context }, roles) => {
  if (roles.length === 0) return context.caller.roles.length > 0;
  const known = roles.filter(isRole);
  if (known.some((role) => hasRole(context.caller, role))) return true;
  throw new GatewayError('FORBIDDEN', `This field needs the role ${known.join(' or ') || 'administrator'}.`);
};
