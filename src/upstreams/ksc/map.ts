import type { TaskStateName } from '../../domain/kata-task';
import type {
  ApplicationRecord,
  EventSeverityName,
  ExecutableFileRecord,
  HostGroupRecord,
  HostRecord,
  KscEventRecord,
  KscTaskRecord,
  KscUserRecord,
  OpenPortRecord,
  QuarantinedFileRecord,
  TaskStatisticsRecord,
} from '../../domain/ksc';

type Row = Record<string, unknown>;

const str = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
const num = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : null;
const date = (v: unknown): Date | null => {
  if (typeof v !== 'string' || !v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
};

export function longToIp(n: number): string {
  return `${Math.floor(n / 2 ** 24) % 256}.${Math.floor(n / 2 ** 16) % 256}.${Math.floor(n / 2 ** 8) % 256}.${n % 256}`;
}

export function ipToLong(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip.trim());
  if (!m || m.slice(1).some((p) => Number(p) > 255)) return null;
  return m.slice(1).reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function toHost(row: Row): HostRecord {
  const status = num(row.KLHST_WKS_STATUS) ?? 0;
  const ip = num(row.KLHST_WKS_IP_LONG);
  return {
    hostId: String(row.KLHST_WKS_HOSTNAME ?? ''),
    name: String(row.KLHST_WKS_DN ?? row.KLHST_WKS_HOSTNAME ?? ''),
    fqdn: str(row.KLHST_WKS_FQDN),
    domain: str(row.KLHST_WKS_DNSDOMAIN) ?? str(row.KLHST_WKS_WINDOMAIN),
    osName: str(row.KLHST_WKS_OS_NAME),
    ipAddress: ip ? longToIp(ip) : null,
    // KLHST_WKS_STATUS bit 0x1: visible on the network.
    online: (status & 0x1) !== 0,
    lastVisible: date(row.KLHST_WKS_LAST_VISIBLE),
    agentVersion: str(row.KLHST_WKS_NAG_VERSION),
    groupId: num(row.KLHST_WKS_GROUPID),
  };
}

export function toGroup(row: Row): HostGroupRecord {
  return { groupId: num(row.id) ?? 0, name: String(row.name ?? ''), parentId: num(row.parentId) };
}

const SEVERITIES: Record<number, EventSeverityName> = { 1: 'INFO', 2: 'WARNING', 3: 'ERROR', 4: 'CRITICAL' };
export const SEVERITY_CODES: Record<EventSeverityName, number> = { INFO: 1, WARNING: 2, ERROR: 3, CRITICAL: 4 };

export function toEvent(row: Row): KscEventRecord {
  return {
    eventId: String(row.event_id ?? ''),
    eventType: String(row.event_type ?? ''),
    eventTypeDisplayName: str(row.event_type_display_name),
    // 0 ("invalid") and unknown values read as INFO rather than failing the whole page.
    severity: SEVERITIES[num(row.GNRL_EA_SEVERITY) ?? 1] ?? 'INFO',
    hostName: str(row.hostdn),
    hostId: str(row.hostname),
    description: str(row.GNRL_EA_DESCRIPTION),
    riseTime: date(row.rise_time) ?? new Date(0),
    productName: productName(str(row.product_name)),
    productCode: str(row.product_name),
    taskDisplayName: str(row.task_display_name),
    attributes: row,
  };
}

export function toUser(row: Row): KscUserRecord {
  return {
    name: String(row.KLHSTUSER_SAMNAME ?? row.KLHSTUSER_DN ?? row.KLHSTUSER_PRINCIPAL ?? ''),
    displayName: str(row.KLHSTUSER_DN),
    principal: str(row.KLHSTUSER_PRINCIPAL),
    mail: str(row.KLHSTUSER_MAIL),
    domain: str(row.KLHSTUSER_DOMAIN_SAM) ?? str(row.KLHSTUSER_DOMAIN2000),
  };
}

export function toApplication(row: Row): ApplicationRecord {
  return {
    name: String(row.DisplayName ?? ''),
    version: str(row.DisplayVersion),
    publisher: str(row.Publisher),
    productId: str(row.ProductID),
    installDate: str(row.InstallDate),
    installDir: str(row.InstallDir),
  };
}

export function toOpenPort(row: Row): OpenPortRecord {
  return {
    port: num(row.nPort) ?? 0,
    protocol: String(row.strProtocol ?? 'TCP'),
    processName: str(row.strProcessName),
  };
}

/**
 * KSC names products by code (TASKID_PRODUCT_NAME, an event's product_name): "1093" is the
 * Administration Server, "1103" the Network Agent. Codes not listed read as themselves.
 */
const PRODUCT_NAMES: Record<string, string> = {
  '1093': 'Kaspersky Security Center Administration Server',
  '1103': 'Kaspersky Security Center Network Agent',
  KES: 'Kaspersky Endpoint Security for Windows',
  KESL: 'Kaspersky Endpoint Security for Linux',
  KESMAC: 'Kaspersky Endpoint Security for Mac',
  WSEE: 'Kaspersky Security for Windows Server',
};

export const productName = (code: string | null): string | null =>
  code === null ? null : (PRODUCT_NAMES[code] ?? code);

export function toTask(taskId: string, row: Row): KscTaskRecord {
  return {
    taskId: String(row.TASK_UNIQUE_ID ?? taskId),
    upstream: 'KSC',
    displayName: str(row.DisplayName) ?? str((row.TASK_INFO_PARAMS as Row | undefined)?.DisplayName),
    typeName: str(row.TASK_NAME),
    productName: productName(str(row.TASKID_PRODUCT_NAME)),
    productCode: str(row.TASKID_PRODUCT_NAME),
    groupId: num(row.PRTS_TASK_GROUPID) ?? null,
  };
}

/** KSC task-state bits (the "Task states" docs page) as names, in the order they are reported. */
export const TASK_STATE_NAMES: [string, string][] = [
  ['1', 'pending'],
  ['2', 'running'],
  ['4', 'completed'],
  ['8', 'completedWithWarnings'],
  ['16', 'failed'],
  ['32', 'scheduled'],
  ['64', 'paused'],
];

/**
 * A task's state over all its hosts: running while any host runs; pending while hosts wait and
 * none finished; failed when every finished host failed; completed when no host is left to run.
 */
export function toTaskStatistics(row: Row): TaskStatisticsRecord {
  const counts: Record<string, number> = {};
  for (const [bit, name] of TASK_STATE_NAMES) counts[name] = num(row[bit]) ?? 0;
  const c = (name: string) => counts[name] ?? 0;
  const finished = c('completed') + c('completedWithWarnings') + c('failed');
  const total = finished + c('pending') + c('running') + c('scheduled') + c('paused');
  let state: TaskStateName;
  let vendorState: string;
  if (c('running') > 0) [state, vendorState] = ['RUNNING', 'Running'];
  else if (c('paused') > 0 && finished < total) [state, vendorState] = ['PENDING', 'Paused'];
  else if (c('pending') > 0 && finished === 0) [state, vendorState] = ['PENDING', 'Pending'];
  else if (c('scheduled') > 0 && finished === 0) [state, vendorState] = ['PENDING', 'Scheduled'];
  else if (total === 0) [state, vendorState] = ['UNKNOWN', 'No hosts'];
  else if (finished > 0 && c('failed') === finished) [state, vendorState] = ['FAILED', 'Failed'];
  else if (c('pending') + c('scheduled') > 0) [state, vendorState] = ['PARTIALLY_COMPLETED', 'Partially completed'];
  else if (c('failed') > 0) [state, vendorState] = ['COMPLETED', 'Completed with errors'];
  else if (c('completedWithWarnings') > 0) [state, vendorState] = ['COMPLETED', 'Completed with warnings'];
  else [state, vendorState] = ['COMPLETED', 'Completed'];
  return { completedPercent: num(row.GNRL_COMPLETED_PERCENT), hostCountsByState: counts, state, vendorState };
}

export function toQuarantinedFile(row: Row): QuarantinedFileRecord {
  return {
    fileId: num(row.nId) ?? 0,
    hostId: str(row.strHostName),
    objectName: String(row.ObjName ?? ''),
    description: str(row.szDescription),
  };
}

export function toExecutableFile(row: Row): ExecutableFileRecord {
  return {
    fileId: String(row.HST_FILE_ID ?? row.FILE_ID ?? ''),
    hostId: str(row.strHostName),
    fileName: String(row.FILE_NAME ?? ''),
    filePath: str(row.FILE_PATH),
    sha256: str(row.SHA256),
    md5: str(row.MD5),
    attributes: row,
  };
}
