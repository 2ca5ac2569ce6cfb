import type { IncidentQuery, IncidentRecord } from '../../domain/mdr';

/**
 * Whether an incident matches a filter, decided here rather than by MDR: one feed serves every
 * subscriber of a scope, each with its own filter. Means the same as the `incidents` list's filter.
 */
export function incidentMatches(incident: IncidentRecord, q: IncidentQuery): boolean {
  const anyOf = <T>(wanted: readonly T[] | undefined, have: readonly T[]) =>
    !wanted || have.some((h) => wanted.includes(h));
  const within = (t: Date, after?: Date, before?: Date) =>
    (!after || t.getTime() >= after.getTime()) && (!before || t.getTime() <= before.getTime());
  const hosts = incident.affectedHosts;
  const responses = incident.responses ?? [];
  const phrase = q.searchPhrase?.trim().toLowerCase();
  const hostNames = q.affectedHostNames?.map((n) => n.toLowerCase());
  return (
    anyOf(q.statuses, [incident.status]) &&
    anyOf(q.priorities, [incident.priority]) &&
    anyOf(q.resolutions, incident.resolution ? [incident.resolution] : []) &&
    anyOf(q.tenantNames, [incident.tenantName ?? '']) &&
    anyOf(
      q.assetIds?.map((id) => id.toLowerCase()),
      hosts.map((h) => h.assetId?.toLowerCase() ?? ''),
    ) &&
    anyOf(
      hostNames,
      hosts.map((h) => h.hostName.toLowerCase()),
    ) &&
    anyOf(q.mitreTactics, incident.mitreTactics) &&
    anyOf(q.mitreTechniques, incident.mitreTechniques) &&
    anyOf(q.detectionTechnologies, incident.detectionTechnology ? [incident.detectionTechnology] : []) &&
    anyOf(
      q.responseStatuses,
      responses.map((r) => r.status),
    ) &&
    anyOf(
      q.responseTypes,
      responses.map((r) => r.type),
    ) &&
    within(incident.creationTime, q.createdAfter, q.createdBefore) &&
    within(incident.updateTime, q.updatedAfter, q.updatedBefore) &&
    (!phrase ||
      incident.summary.toLowerCase().includes(phrase) ||
      String(incident.incidentNumber) === phrase ||
      incident.incidentId.toLowerCase() === phrase ||
      hosts.some((h) => h.hostName.toLowerCase().includes(phrase)))
  );
}
