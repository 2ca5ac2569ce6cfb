import type { Caller, Role } from '../domain/caller';
import { hasRole } from './roles';

/**
 * The one table of who may run what, keyed `<RootType>.<field>`. Checked for the whole operation
 * before anything executes (authorization.plugin.ts), so a refused operation makes no upstream call.
 *
 * Deny by default: a Mutation field missing here needs `administrator`, so a new mutation is safe
 * until someone decides otherwise. Query fields need `viewer` unless listed.
 */
export const PERMISSIONS: Readonly<Record<string, Role>> = {
  // MDR: comment on incidents; confirm or decline responses.
  'Mutation.addIncidentComment': 'security_officer',
  'Mutation.updateResponse': 'senior_security_officer',
  'Mutation.updateResponses': 'senior_security_officer',
  // MDR: the gateway's own session (a new refresh token after MDR refused the old one).
  'Mutation.setMdrRefreshToken': 'administrator',
  // KSC: isolate, scan, quarantine.
  'Mutation.isolateHosts': 'senior_security_officer',
  'Mutation.unisolateHosts': 'senior_security_officer',
  'Mutation.scanHosts': 'senior_security_officer',
  'Mutation.quarantineFiles': 'senior_security_officer',
  'Mutation.scanQuarantinedFiles': 'senior_security_officer',
  'Mutation.restoreQuarantinedFiles': 'senior_security_officer',
  // KATA: tasks, network isolation, prevention rules.
  'Mutation.createKataTask': 'senior_security_officer',
  'Mutation.deleteKataTask': 'senior_security_officer',
  'Mutation.isolateSensor': 'senior_security_officer',
  'Mutation.releaseSensorIsolation': 'senior_security_officer',
  'Mutation.addPreventionRules': 'senior_security_officer',
  'Mutation.removePreventionRules': 'senior_security_officer',
  // Live updates: what the caller could read by query, pushed.
  'Subscription.incidentChanged': 'viewer',
  'Subscription.responseChanged': 'viewer',
  'Subscription.taskChanged': 'viewer',
  'Subscription.kscEvent': 'viewer',
};

const DEFAULTS: Readonly<Record<string, Role>> = {
  Query: 'viewer',
  Mutation: 'administrator',
  Subscription: 'administrator',
};

/** The weakest role allowed to select `field` on the root type `rootType`. */
export function requiredRole(rootType: string, field: string): Role {
  return PERMISSIONS[`${rootType}.${field}`] ?? DEFAULTS[rootType] ?? 'administrator';
}

/**
 * Fields only a caller who sees every tenant may use, whatever its role: they act on what all
 * tenants share (the one MDR API connection).
 */
const EVERY_TENANT_ONLY: ReadonlySet<string> = new Set(['Mutation.setMdrRefreshToken']);

/** Whether the caller may select `field` on `rootType`: its role, and its tenants where that matters. */
export function mayUse(caller: Caller, rootType: string, field: string): boolean {
  if (!hasRole(caller, requiredRole(rootType, field))) return false;
  return caller.tenants === null || !EVERY_TENANT_ONLY.has(`${rootType}.${field}`);
}
