import type { HostPart } from '../../domain/ksc';
import { partsRead } from './operation-parts';
import type { OperationReading } from './operation-parts';

/** The Host fields that read a part a host lookup may leave out (see HostPart). */
const PART_OF_FIELD = new Map<string, HostPart>([
  ['fqdn', 'fqdn'],
  ['domain', 'domain'],
  ['osName', 'osName'],
  ['ipAddress', 'ipAddress'],
  ['online', 'online'],
  ['lastVisible', 'lastVisible'],
  ['agentVersion', 'agentVersion'],
  ['group', 'groupId'],
]);

/**
 * The host parts this operation reads anywhere (see partsRead). A page of 100 hosts with every
 * attribute is 45 kB from KSC; parsing and decoding it is on the answer's path.
 */
export function hostPartsOf(reading: OperationReading): readonly HostPart[] | undefined {
  const own = partsRead(reading, 'Host', PART_OF_FIELD);
  const containment = containmentReads(reading);
  const capabilities = partsRead(reading, 'HostCapability', CAPABILITY_FIELDS);
  if (!own || !containment || !capabilities) return undefined;
  if (containment.length === 0 && capabilities.length === 0) return own;
  const parts = new Set<HostPart>(own);
  // What a host can do depends on whether its agent is online and on its operating system.
  if (capabilities.length) for (const p of ['online', 'osName'] as const) parts.add(p);
  if (containment.includes('agentOnline')) parts.add('online');
  if (containment.includes('lastSeen')) parts.add('lastVisible');
  return [...parts].sort();
}

const CAPABILITY_FIELDS = new Map([
  ['action', 'read'],
  ['available', 'read'],
  ['routes', 'read'],
] as const);

/** Containment fields read from the joined host and asset records (see createContainmentLoader). */
const CONTAINMENT_FIELDS = new Map([
  ['agentOnline', 'agentOnline'],
  ['lastSeen', 'lastSeen'],
] as const);

export const containmentReads = (reading: OperationReading) => partsRead(reading, 'Containment', CONTAINMENT_FIELDS);
