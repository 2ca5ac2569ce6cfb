/** MDR records as the graph serves them (map.ts builds them from the wire). */

export type AssetStatus = 'OK' | 'WARNING' | 'CRITICAL' | 'OFFLINE' | 'ABSENT';
export type IncidentPriority = 'LOW' | 'NORMAL' | 'HIGH';
export type IncidentStatus = 'OPEN' | 'ON_HOLD' | 'RESOLVED' | 'CLOSED';
export type IncidentResolution = 'TRUE_POSITIVE' | 'FALSE_POSITIVE';
export type ResponseStatus = 'PENDING' | 'CONFIRMED' | 'DECLINED' | 'OTHER';
export type ResponseDecision = 'CONFIRMED' | 'DECLINED';

export interface NetworkInterfaceRecord {
  ipAddresses: string[];
  macAddress: string | null;
  description: string | null;
}

export interface AssetRecord {
  assetId: string;
  hostName: string;
  domain: string | null;
  osVersion: string | null;
  status: AssetStatus;
  isIsolated: boolean;
  installedProductInfo: string | null;
  networkInterfaces: NetworkInterfaceRecord[];
  /** null = root ("Root without tenants"). */
  tenantName: string | null;
  firstSeen: Date | null;
  lastSeen: Date | null;
}

/**
 * The AssetRecord fields an asset join may leave out (MDR's `fields`), for an operation that reads
 * none of them; left out, they hold null (`networkInterfaces`: []). Id, host name, status,
 * isolation and tenant are always there: identity, the joins and the tenant checks.
 */
export type AssetPart =
  'domain' | 'osVersion' | 'installedProductInfo' | 'networkInterfaces' | 'firstSeen' | 'lastSeen';

export interface AffectedHost {
  hostName: string;
  assetId: string | null;
}

/** What a proposed response acts on, typed by kind from MDR's `details` and `parameters`. */
export type ResponseDetailsRecord =
  | {
      kind: 'FileResponseDetails';
      filePath: string | null;
      md5: string | null;
      sha256: string | null;
      /** COPY_FILE_TO_SOC: the largest file to copy, in MB. */
      fileSizeLimitMb: number | null;
    }
  | {
      kind: 'ProcessResponseDetails';
      processId: number | null;
      processName: string | null;
      filePath: string | null;
      commandLine: string | null;
      sha256: string | null;
    }
  | { kind: 'PreventionResponseDetails'; filePath: string | null; md5: string | null; sha256: string | null }
  | { kind: 'IsolationResponseDetails'; isolationPeriodSeconds: number | null }
  | {
      kind: 'ScriptResponseDetails';
      filePath: string | null;
      interpreter: string | null;
      workingDirectory: string | null;
      interpreterParameters: string | null;
    };

export interface ResponseRecord {
  responseId: string;
  incidentId: string | null;
  type: string;
  status: ResponseStatus;
  vendorStatus: string;
  /** The decision's comment, without the gateway's attribution line. */
  comment: string | null;
  /** The gateway caller who made the decision, when its comment names one (see mdr/attribution.ts). */
  decidedBy: string | null;
  description: string | null;
  /** MDR's `details` and `parameters` together, keys as the vendor spells them; null when both are empty. */
  parameters: Record<string, unknown> | null;
  /** The same, typed by response type; null for a type the gateway does not know. */
  details: ResponseDetailsRecord | null;
  assetId: string | null;
  /** The asset's host name when known from the incident's `host:asset_id` pairs (lets lookups batch). */
  assetHostName: string | null;
  creationTime: Date | null;
  updateTime: Date | null;
}

export interface CommentRecord {
  commentId: string;
  incidentId: string;
  authorName: string;
  /** The gateway caller who wrote it, when its text names one (see mdr/attribution.ts). */
  author: string | null;
  /** As the upstream sent it, without the gateway's attribution line: markdown unless `html` is set. */
  text: string;
  html: boolean;
  creationTime: Date;
}

export interface IncidentRecord {
  incidentId: string;
  incidentNumber: number | null;
  summary: string;
  /** Markdown (or HTML when `html` is set). */
  descriptionText: string | null;
  html: boolean;
  priority: IncidentPriority;
  status: IncidentStatus;
  resolution: IncidentResolution | null;
  statusDescription: string | null;
  detectionTechnology: string | null;
  attackStage: string | null;
  mitreTactics: string[];
  mitreTechniques: string[];
  tenantName: string | null;
  creationTime: Date;
  updateTime: Date;
  affectedHosts: AffectedHost[];
  /** Embedded in incidents/list and details answers; undefined when the upstream left them out. */
  responses?: ResponseRecord[];
  comments?: CommentRecord[];
}

/**
 * What of an incident a list call may leave out when nothing in the operation reads it: the
 * description, the MITRE lists and the embedded responses and comments are most of an answer.
 */
export type IncidentPart =
  | 'description'
  | 'statusDescription'
  | 'resolution'
  | 'detectionTechnology'
  | 'attackStage'
  | 'mitreTactics'
  | 'mitreTechniques'
  | 'responses'
  | 'comments';

export interface AssetQuery {
  hostNames?: string[];
  domain?: string;
  osVersion?: string;
  product?: string;
  networkInterface?: string;
  isIsolated?: boolean;
  statuses?: AssetStatus[];
  searchPhrase?: string;
  tenantNames?: string[];
  firstSeenAfter?: Date;
  firstSeenBefore?: Date;
  lastSeenAfter?: Date;
  lastSeenBefore?: Date;
}

export interface IncidentQuery {
  assetIds?: string[];
  affectedHostNames?: string[];
  priorities?: IncidentPriority[];
  statuses?: IncidentStatus[];
  resolutions?: IncidentResolution[];
  responseStatuses?: ResponseStatus[];
  responseTypes?: string[];
  mitreTactics?: string[];
  mitreTechniques?: string[];
  detectionTechnologies?: string[];
  searchPhrase?: string;
  tenantNames?: string[];
  createdAfter?: Date;
  createdBefore?: Date;
  updatedAfter?: Date;
  updatedBefore?: Date;
}
