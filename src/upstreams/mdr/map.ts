import type {
  AffectedHost,
  AssetPart,
  AssetQuery,
  AssetRecord,
  AssetStatus,
  CommentRecord,
  IncidentPart,
  IncidentPriority,
  IncidentQuery,
  IncidentRecord,
  IncidentResolution,
  IncidentStatus,
  ResponseDetailsRecord,
  ResponseRecord,
  ResponseStatus,
} from '../../domain/mdr';
import { attributionOf } from './attribution';
import type * as wire from './wire';

/** The one place MDR's spelling becomes the gateway's (enums, ms → Date, `host:id`, `a|b` IPs). */

const ASSET_STATUS: Record<string, AssetStatus> = {
  OK: 'OK',
  WARNING: 'WARNING',
  CRITICAL: 'CRITICAL',
  OFFLINE: 'OFFLINE',
  ABSENT: 'ABSENT',
};
const PRIORITY: Record<string, IncidentPriority> = { LOW: 'LOW', NORMAL: 'NORMAL', MEDIUM: 'NORMAL', HIGH: 'HIGH' };
const INCIDENT_STATUS: Record<string, IncidentStatus> = {
  open: 'OPEN',
  'on hold': 'ON_HOLD',
  resolved: 'RESOLVED',
  closed: 'CLOSED',
};
const RESOLUTION: Record<string, IncidentResolution> = {
  'true positive': 'TRUE_POSITIVE',
  'false positive': 'FALSE_POSITIVE',
};
const RESPONSE_STATUS: Record<string, ResponseStatus> = {
  confirmed: 'CONFIRMED',
  declined: 'DECLINED',
  waiting: 'PENDING',
  pending: 'PENDING',
  new: 'PENDING',
};

export const INCIDENT_STATUS_WIRE: Record<IncidentStatus, string> = {
  OPEN: 'Open',
  ON_HOLD: 'On hold',
  RESOLVED: 'Resolved',
  CLOSED: 'Closed',
};
export const RESOLUTION_WIRE: Record<IncidentResolution, string> = {
  TRUE_POSITIVE: 'True positive',
  FALSE_POSITIVE: 'False positive',
};
/** PENDING is spelled "Waiting" by the simulator (README.md); OTHER has no wire value and matches nothing. */
export const RESPONSE_STATUS_WIRE: Record<ResponseStatus, string[]> = {
  PENDING: ['Waiting'],
  CONFIRMED: ['Confirmed'],
  DECLINED: ['Declined'],
  OTHER: [],
};

const text = (s: string | undefined | null): string | null =>
  s === undefined || s === null || s === '' || s === 'n/a' ? null : s;
/** Epoch milliseconds; beyond what a Date holds (±8.64e15) is no time, not an Invalid Date that fails the field. */
const date = (ms: number | undefined | null): Date | null => {
  if (typeof ms !== 'number') return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** `"HOST-NAME:0x<asset_id>"` → parts; a value without an id keeps the host name. */
export function parseAffectedHost(value: string): AffectedHost {
  const at = value.lastIndexOf(':');
  if (at <= 0) return { hostName: value, assetId: null };
  const assetId = value.slice(at + 1);
  return /^0x[0-9a-f]+$/i.test(assetId)
    ? { hostName: value.slice(0, at), assetId }
    : { hostName: value, assetId: null };
}

export function toAsset(a: wire.Asset): AssetRecord {
  return {
    assetId: a.asset_id,
    hostName: a.host_name,
    domain: text(a.domain),
    osVersion: text(a.os_version),
    // An unknown status is reported as the worst plausible one rather than failing the whole row.
    status: ASSET_STATUS[(a.status ?? '').toUpperCase()] ?? 'WARNING',
    isIsolated: a.isolation === true,
    installedProductInfo: text(a.installed_product_info),
    networkInterfaces: (a.network_interfaces ?? []).map((n) => ({
      ipAddresses: (n.ip ?? '')
        .split('|')
        .map((ip) => ip.trim())
        .filter(Boolean),
      macAddress: text(n.mac),
      description: text(n.dsc),
    })),
    tenantName: text(a.tenant_name),
    firstSeen: date(a.first_seen),
    lastSeen: date(a.last_seen),
  };
}

const field = (o: Record<string, unknown>, key: string): string | null =>
  typeof o[key] === 'string' && o[key] !== '' ? (o[key] as string) : null;
const count = (o: Record<string, unknown>, key: string): number | null =>
  typeof o[key] === 'number' && Number.isFinite(o[key]) ? (o[key] as number) : null;
const FILE_TYPES = new Set(['COPY_FILE_TO_SOC', 'QUARANTINE_FILE', 'DELETE_FILE', 'GET_FILE']);

/** MDR's `details` (the target) and `parameters` (how to act) as one typed record per response type. */
export function toResponseDetails(type: string, all: Record<string, unknown>): ResponseDetailsRecord | null {
  if (FILE_TYPES.has(type))
    return {
      kind: 'FileResponseDetails',
      filePath: field(all, 'file_path'),
      md5: field(all, 'md5'),
      sha256: field(all, 'sha256'),
      fileSizeLimitMb: count(all, 'file_size_limit'),
    };
  switch (type) {
    case 'KILL_PROCESS':
      return {
        kind: 'ProcessResponseDetails',
        processId: count(all, 'process_id'),
        processName: field(all, 'process_name'),
        filePath: field(all, 'file_path'),
        commandLine: field(all, 'command_line'),
        sha256: field(all, 'sha256'),
      };
    case 'PREVENTION':
      return {
        kind: 'PreventionResponseDetails',
        filePath: field(all, 'file_path'),
        md5: field(all, 'md5'),
        sha256: field(all, 'sha256'),
      };
    case 'ISOLATE_HOST':
      return { kind: 'IsolationResponseDetails', isolationPeriodSeconds: count(all, 'isolation_period_s') };
    case 'RUN_SCRIPT':
      return {
        kind: 'ScriptResponseDetails',
        filePath: field(all, 'file_path'),
        interpreter: field(all, 'interpreter'),
        workingDirectory: field(all, 'workingDirectory'),
        interpreterParameters: field(all, 'interpreterParameters'),
      };
    default:
      return null;
  }
}

const objectOrEmpty = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export function toResponse(r: wire.Response, incidentId: string | null = null): ResponseRecord {
  const all = { ...objectOrEmpty(r.details), ...objectOrEmpty(r.parameters) };
  const parameters = Object.keys(all).length ? all : null;
  const comment = attributionOf(r.comment ?? '');
  return {
    responseId: r.response_id,
    incidentId: r.incident_id ?? incidentId,
    type: r.type,
    status: RESPONSE_STATUS[(r.status ?? '').toLowerCase()] ?? 'OTHER',
    vendorStatus: r.status ?? '',
    comment: text(comment.text),
    decidedBy: comment.caller,
    description: text(r.description),
    parameters,
    details: toResponseDetails(r.type, all),
    assetId: text(r.asset_id),
    assetHostName: null,
    creationTime: date(r.creation_time),
    updateTime: date(r.update_time),
  };
}

export function toComment(c: wire.Comment, incidentId: string, html = false): CommentRecord {
  const body = attributionOf(c.text ?? '', html);
  return {
    commentId: c.comment_id,
    incidentId,
    authorName: c.author_name ?? '',
    author: body.caller,
    text: body.text,
    html,
    creationTime: date(c.creation_time) ?? new Date(0),
  };
}

export function toIncident(i: wire.Incident, html = false): IncidentRecord {
  const affectedHosts = (i.affected_hosts ?? []).map(parseAffectedHost);
  const hostOf = new Map(affectedHosts.filter((h) => h.assetId).map((h) => [h.assetId!.toLowerCase(), h.hostName]));
  return {
    incidentId: i.incident_id,
    incidentNumber: typeof i.incident_number === 'number' ? i.incident_number : null,
    summary: i.summary ?? '',
    descriptionText: text(i.description),
    html,
    priority: PRIORITY[(i.priority ?? '').toUpperCase()] ?? 'NORMAL',
    status: INCIDENT_STATUS[(i.status ?? '').toLowerCase()] ?? 'OPEN',
    resolution: RESOLUTION[(i.resolution ?? '').toLowerCase()] ?? null,
    statusDescription: text(i.status_description),
    detectionTechnology: text(i.detection_technology),
    attackStage: text(i.attack_stage),
    mitreTactics: i.mitre_tactics ?? [],
    mitreTechniques: i.mitre_techniques ?? [],
    tenantName: text(i.tenant_name),
    creationTime: date(i.creation_time) ?? new Date(0),
    updateTime: date(i.update_time) ?? date(i.creation_time) ?? new Date(0),
    affectedHosts,
    responses: i.responses?.map((r) => {
      const response = toResponse(r, i.incident_id);
      return { ...response, assetHostName: (response.assetId && hostOf.get(response.assetId.toLowerCase())) || null };
    }),
    comments: i.comments?.map((c) => toComment(c, i.incident_id, html)),
  };
}

/** What every incident record needs: identity, list order and cursors, tenant checks, joins to assets. */
const INCIDENT_BASE_FIELDS: (keyof wire.Incident)[] = [
  'incident_id',
  'incident_number',
  'summary',
  'priority',
  'status',
  'creation_time',
  'update_time',
  'tenant_name',
  'affected_hosts',
];
const INCIDENT_PART_FIELDS: Record<IncidentPart, keyof wire.Incident> = {
  description: 'description',
  statusDescription: 'status_description',
  resolution: 'resolution',
  detectionTechnology: 'detection_technology',
  attackStage: 'attack_stage',
  mitreTactics: 'mitre_tactics',
  mitreTechniques: 'mitre_techniques',
  responses: 'responses',
  comments: 'comments',
};

/** What every asset record needs: identity, the joins by host name, tenant checks. */
const ASSET_BASE_FIELDS: (keyof wire.Asset)[] = ['asset_id', 'host_name', 'status', 'isolation', 'tenant_name'];
const ASSET_PART_FIELDS: Record<AssetPart, keyof wire.Asset> = {
  domain: 'domain',
  osVersion: 'os_version',
  installedProductInfo: 'installed_product_info',
  networkInterfaces: 'network_interfaces',
  firstSeen: 'first_seen',
  lastSeen: 'last_seen',
};

/** MDR's `fields` for records that need only `parts` beyond `base`; undefined parts = all fields. */
const fieldsToWire =
  <Part extends string>(base: readonly string[], fieldOf: Record<Part, string>) =>
  (parts: readonly Part[] | undefined): string[] | undefined =>
    parts && [...base, ...parts.map((p) => fieldOf[p])];

export const assetFieldsToWire = fieldsToWire<AssetPart>(ASSET_BASE_FIELDS, ASSET_PART_FIELDS);
export const incidentFieldsToWire = fieldsToWire<IncidentPart>(INCIDENT_BASE_FIELDS, INCIDENT_PART_FIELDS);

const ms = (d: Date | undefined) => (d ? d.getTime() : undefined);

export function assetFilterToWire(q: AssetQuery): wire.AssetFilter {
  return prune({
    host_names: q.hostNames,
    domain: q.domain,
    os_version: q.osVersion,
    product: q.product,
    network_interface: q.networkInterface,
    is_isolated: q.isIsolated,
    statuses: q.statuses,
    search_phrase: q.searchPhrase,
    tenants_names: q.tenantNames,
    min_first_seen: ms(q.firstSeenAfter),
    max_first_seen: ms(q.firstSeenBefore),
    min_last_seen: ms(q.lastSeenAfter),
    max_last_seen: ms(q.lastSeenBefore),
    version: 2,
  });
}

/** `affectedHosts` are already `host:id` pairs (the client resolves host names first). */
export function incidentFilterToWire(q: IncidentQuery, affectedHosts?: string[]): wire.IncidentFilter {
  return prune({
    affected_hosts: affectedHosts,
    asset_ids: q.assetIds,
    detection_technologies: q.detectionTechnologies,
    min_creation_time: ms(q.createdAfter),
    max_creation_time: ms(q.createdBefore),
    min_update_time: ms(q.updatedAfter),
    max_update_time: ms(q.updatedBefore),
    mitre_tactics: q.mitreTactics?.map(tacticToWire),
    mitre_techniques: q.mitreTechniques?.map(techniqueToWire),
    priorities: q.priorities,
    resolutions: q.resolutions?.map((r) => RESOLUTION_WIRE[r]),
    response_statuses: q.responseStatuses?.flatMap((s) => RESPONSE_STATUS_WIRE[s]),
    response_types: q.responseTypes,
    search_phrase: q.searchPhrase,
    statuses: q.statuses?.map((s) => INCIDENT_STATUS_WIRE[s]),
    tenants_names: q.tenantNames,
  });
}

/** ATT&CK Enterprise tactics by id, spelled as MDR spells them. */
const TACTICS: Record<string, string> = {
  TA0043: 'Reconnaissance',
  TA0042: 'Resource development',
  TA0001: 'Initial access',
  TA0002: 'Execution',
  TA0003: 'Persistence',
  TA0004: 'Privilege escalation',
  TA0005: 'Defense evasion',
  TA0006: 'Credential access',
  TA0007: 'Discovery',
  TA0008: 'Lateral movement',
  TA0009: 'Collection',
  TA0011: 'Command and control',
  TA0010: 'Exfiltration',
  TA0040: 'Impact',
};
const TACTIC_BY_NAME = new Map(Object.values(TACTICS).map((name) => [name.toLowerCase(), name]));

/** A tactic id (`TA0004`) or name in any letter case → MDR's name; anything else as given. */
export function tacticToWire(value: string): string {
  const v = value.trim();
  return TACTICS[v.toUpperCase()] ?? TACTIC_BY_NAME.get(v.toLowerCase()) ?? v;
}

/**
 * A technique id in any letter case (`t1068`, `T1059.001`) → its canonical spelling; MDR matches an
 * id against the ids its techniques start with (`T1068: Exploitation for Privilege Escalation`),
 * a parent id taking in its sub-techniques. Full technique texts pass as given.
 */
export function techniqueToWire(value: string): string {
  const v = value.trim();
  return /^t\d{4}(\.\d{3})?$/i.test(v) ? v.toUpperCase() : v;
}

function prune<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
