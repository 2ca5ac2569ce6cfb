import type { KataEventRecord, KataTaskRecord, TaskStateName } from '../../domain/kata-task';
import type {
  IsolationExclusionRecord,
  PreventionRuleRecord,
  SensorIsolationRecord,
  SensorRecord,
} from '../../domain/sensor';
import type * as wire from './wire';

export function toSensor(s: wire.Sensor): SensorRecord {
  return {
    sensorId: s.sensorId,
    hostName: s.hostName || null,
    ipAddress: s.hostIp || null,
    osName: s.osName || null,
    osFamily: s.osFamily || null,
    version: s.version || null,
    lastAccessTime: toDate(s.lastAccessTimestamp),
    capabilities: Array.isArray(s.capabilities) ? s.capabilities.map(String) : [],
  };
}

/**
 * KATA's task states are not documented; the simulator says pending/running/completed/failed.
 * Spellings a real Central Node might use map to the same states; anything else is UNKNOWN, with
 * the raw value kept in `vendorState`.
 */
export function toTaskState(vendor: string | null | undefined): TaskStateName {
  const s = (vendor ?? '').toLowerCase().replace(/[\s_-]/g, '');
  if (['pending', 'new', 'waiting', 'queued', 'scheduled', 'created', 'notstarted'].includes(s)) return 'PENDING';
  if (['running', 'inprogress', 'started', 'executing', 'processing'].includes(s)) return 'RUNNING';
  if (['completed', 'complete', 'done', 'finished', 'success', 'succeeded', 'ok'].includes(s)) return 'COMPLETED';
  if (['failed', 'failure', 'error', 'errored'].includes(s)) return 'FAILED';
  if (['cancelled', 'canceled', 'stopped', 'aborted', 'deleted'].includes(s)) return 'CANCELLED';
  return 'UNKNOWN';
}

export function toKataTask(
  taskId: string,
  r: wire.TaskResponse,
  sent?: wire.RunProcessTask & { sensorId?: string },
): KataTaskRecord {
  const task = r.task ?? sent;
  const schedule = task?.schedule ?? task?.shedule;
  return {
    taskId,
    upstream: 'KATA',
    state: toTaskState(r.state),
    vendorState: r.state ?? null,
    sensorId: r.task?.sensorId ?? sent?.sensorId ?? null,
    latestStartTime: toDate(r.latestStartDateTime),
    execCommand: task?.execCommand ?? null,
    cmdLineParameters: task?.cmdLineParameters ?? null,
    workingDirectory: task?.workingDirectory ?? null,
    startNow: typeof schedule?.startNow === 'boolean' ? schedule.startNow : null,
  };
}

export function toIsolation(sensorId: string, s: wire.IsolationSettings): SensorIsolationRecord {
  return {
    sensorId,
    autoTurnoffTimeoutSeconds: typeof s.autoTurnoffTimeoutInSec === 'number' ? s.autoTurnoffTimeoutInSec : null,
    exclusions: (s.excludedRules ?? []).map((r): IsolationExclusionRecord => ({
      direction: (r.direction ?? 'both').toUpperCase() as IsolationExclusionRecord['direction'],
      protocol: typeof r.protocol === 'number' ? r.protocol : null,
      remoteIpv4Address: r.remoteIpv4Address ?? null,
      localPorts: r.localPortRange ? { from: r.localPortRange.fromPort, to: r.localPortRange.toPort } : null,
      remotePorts: r.remotePortRange ? { from: r.remotePortRange.fromPort, to: r.remotePortRange.toPort } : null,
    })),
  };
}

export function toExclusionWire(r: IsolationExclusionRecord): wire.IsolationExclusion {
  return {
    direction: r.direction.toLowerCase() as wire.IsolationExclusion['direction'],
    ...(r.protocol !== null ? { protocol: r.protocol } : {}),
    ...(r.remoteIpv4Address ? { remoteIpv4Address: r.remoteIpv4Address } : {}),
    ...(r.localPorts ? { localPortRange: { fromPort: r.localPorts.from, toPort: r.localPorts.to } } : {}),
    ...(r.remotePorts ? { remotePortRange: { fromPort: r.remotePorts.from, toPort: r.remotePorts.to } } : {}),
  };
}

export function toPreventionRule(o: wire.PreventionObject): PreventionRuleRecord {
  return {
    sha256: o.file?.sha256?.toLowerCase() ?? null,
    md5: o.file?.md5?.toLowerCase() ?? null,
    name: o.file?.name ?? null,
  };
}

export function toPreventionWire(r: PreventionRuleRecord): wire.PreventionObject {
  return {
    file: {
      ...(r.sha256 ? { sha256: r.sha256 } : {}),
      ...(r.md5 ? { md5: r.md5 } : {}),
      ...(r.name ? { name: r.name } : {}),
    },
  };
}

/** The hash a prevention rule is known by (sha256 preferred). */
export function preventionKey(r: PreventionRuleRecord): string {
  return r.sha256 ? `sha256:${r.sha256.toLowerCase()}` : `md5:${(r.md5 ?? '').toLowerCase()}`;
}

/**
 * Times in the KATA API are undocumented: RFC 3339 strings (Go's zero time meaning "never"),
 * epoch seconds or epoch milliseconds are all accepted.
 */
export function toDate(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return null;
    const date = new Date(value < 1e11 ? value * 1000 : value);
    // Beyond what a Date holds: no time, rather than an Invalid Date that fails the field.
    return Number.isNaN(date.getTime()) ? null : date;
  }
  if (/^\d+$/.test(value)) return toDate(Number(value));
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || new Date(ms).getUTCFullYear() <= 1) return null;
  return new Date(ms);
}

export function toKataEvent(event: wire.Event): KataEventRecord {
  return {
    eventId: String(event.Id ?? ''),
    time: new Date(Math.floor(Number(event.Timestamp ?? 0) / 1_000_000)),
    type: String(event.Type ?? ''),
    sensorId: typeof event.SensorId === 'string' ? event.SensorId : null,
    taskId: typeof event.TaskId === 'string' ? event.TaskId : null,
    attributes: event,
  };
}
