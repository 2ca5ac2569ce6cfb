import type { TaskStateName } from './kata-task';

/** A KSC-managed device. */
export interface HostRecord {
  /** KLHST_WKS_HOSTNAME: the server-generated GUID-like id. */
  hostId: string;
  /** KLHST_WKS_DN: the display name (the estate host name, so MDR assets join on it). */
  name: string;
  fqdn: string | null;
  domain: string | null;
  osName: string | null;
  ipAddress: string | null;
  online: boolean;
  lastVisible: Date | null;
  agentVersion: string | null;
  groupId: number | null;
}

/**
 * The HostRecord fields a host lookup may leave out (their KSC attributes are not asked for), for
 * an operation that reads none of them; left out, they hold null (`online`: false). `hostId` and
 * `name` are always there: identity and the joins to MDR assets and KATA sensors.
 */
export type HostPart =
  'fqdn' | 'domain' | 'osName' | 'ipAddress' | 'online' | 'lastVisible' | 'agentVersion' | 'groupId';

export interface HostGroupRecord {
  groupId: number;
  name: string;
  parentId: number | null;
}

export type EventSeverityName = 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

export interface KscEventRecord {
  eventId: string;
  eventType: string;
  eventTypeDisplayName: string | null;
  severity: EventSeverityName;
  hostName: string | null;
  hostId: string | null;
  description: string | null;
  riseTime: Date;
  /** The product's name (Kaspersky Endpoint Security for Windows, …). */
  productName: string | null;
  /** The product code as KSC gave it (KES, 1093, …). */
  productCode: string | null;
  taskDisplayName: string | null;
  attributes: Record<string, unknown>;
}

export interface KscUserRecord {
  name: string;
  displayName: string | null;
  principal: string | null;
  mail: string | null;
  domain: string | null;
}

export interface ApplicationRecord {
  name: string;
  version: string | null;
  publisher: string | null;
  productId: string | null;
  installDate: string | null;
  installDir: string | null;
}

export interface OpenPortRecord {
  port: number;
  protocol: string;
  processName: string | null;
}

export interface KscTaskRecord {
  taskId: string;
  upstream: 'KSC';
  displayName: string | null;
  typeName: string | null;
  /** The product's name (Kaspersky Endpoint Security for Windows, …). */
  productName: string | null;
  /** The product code as KSC gave it (KES, 1093, …). */
  productCode: string | null;
  /** The administration group of a group task (PRTS_TASK_GROUPID); null for a task of listed hosts. */
  groupId: number | null;
}

export interface TaskStatisticsRecord {
  completedPercent: number | null;
  /** Host counts keyed by KSC state name (pending, running, completed, …) and by KSC's raw bit keys. */
  hostCountsByState: Record<string, number>;
  state: TaskStateName;
  vendorState: string;
}

export interface QuarantinedFileRecord {
  fileId: number;
  hostId: string | null;
  objectName: string;
  description: string | null;
}

export interface ExecutableFileRecord {
  fileId: string;
  hostId: string | null;
  fileName: string;
  filePath: string | null;
  sha256: string | null;
  md5: string | null;
  attributes: Record<string, unknown>;
}

/** One window of a KSC result set, with the set's total. */
export interface KscPage<T> {
  items: T[];
  total: number;
}

export interface HostQuery {
  names?: string[] | null;
  fqdn?: string | null;
  osName?: string | null;
  groupId?: number | null;
  ipAddress?: string | null;
  online?: boolean | null;
  kscFilter?: string | null;
  /** Only hosts directly in one of these administration groups (a tenant's scope); [] matches none. */
  withinGroups?: readonly number[] | null;
}

export interface EventQuery {
  since: Date;
  until?: Date | null;
  severities?: EventSeverityName[] | null;
  eventTypes?: string[] | null;
  hostNames?: string[] | null;
  kscAttributes?: Record<string, unknown> | null;
  /** Only events of hosts in one of these administration groups (a tenant's scope); [] matches none. */
  withinGroups?: readonly number[] | null;
}

export type HostTaskKind = 'scan' | 'quarantine' | 'isolate' | 'unisolate';
