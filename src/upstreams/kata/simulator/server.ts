import type { TLSSocket } from 'node:tls';

import type { OpenResources, SimReply, SimRequest, SimulatorRoutes } from '../../sim/simulator-server';
import type * as wire from '../wire';
import { certificateFingerprint } from './certificates';
import { KATA_SERVER_VERSION } from './data';

/** Where response_api lives on a Central Node; KATA_URL is the origin before it. */
export const KATA_PATH_PREFIX = '/kata/response_api/v1';
const ROUTE = /^\/kata\/response_api\/v1\/([^/]+)\/(sensors|settings|tasks\/([^/]+))$/;
const EVENTS_ROUTE = /^\/kata\/events_api\/v1\/([^/]+)\/events$/;
/** New events are kept two hours (the events API's own retention). */
const EVENT_RETENTION_MS = 2 * 3_600_000;
const MAX_EVENTS = 1_000;
const MAX_TIMEOUT_S = 60;
const SYSTEM_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256 = /^[0-9a-f]{64}$/i;
const MD5 = /^[0-9a-f]{32}$/i;
/** 1 to 9999 hours, in seconds (help 227448). */
const ISOLATION_MIN_S = 3_600;
const ISOLATION_MAX_S = 9_999 * 3_600;
/** What Go's `time.Time{}` marshals to: the state of a task that has not started yet. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

export type TaskState = 'pending' | 'running' | 'completed' | 'failed';

export interface TaskTiming {
  /** GETs of a task after which it runs. @default 1 */
  pollsToStart?: number;
  /** GETs of a task after which it has finished. @default 2 */
  pollsToFinish?: number;
  /** Or: time after creation when it runs (by the simulator's clock). @default 2000 */
  startAfterMs?: number;
  /** Or: time after creation when it has finished. @default 10000 */
  finishAfterMs?: number;
}

export interface KataRoutesOptions extends TaskTiming {
  seedSensors: wire.Sensor[];
  /** Approve every new (external system id, certificate) pair on its first request. @default false */
  autoApprove?: boolean;
  /** The simulator's clock (tests drive it). @default Date.now */
  now?: () => number;
}

interface Approval {
  fingerprint: string;
  state: 'pending' | 'approved';
}

interface TaskRecord {
  taskId: string;
  sensorId: string;
  task: wire.RunProcessTask;
  startNow: boolean;
  createdAt: number;
  polls: number;
  state: TaskState;
  startedAt?: number;
  outcome: 'completed' | 'failed';
}

type Reply = SimReply;

const json = (status: number, body: unknown): Reply => ({ status, json: body });
const notFound = (): Reply => json(404, { error: 'Not Found' });
const badRequest = (message: string): Reply => json(400, { error: 'Incorrect parameters', message });

/**
 * KATA Central Node's response_api v1: external-system approval by (id, client certificate),
 * sensors, isolation and prevention settings, and run-process tasks that move on by polls or by
 * the clock. Every choice the docs leave open is listed in README.md.
 */
export class KataRoutes implements SimulatorRoutes {
  private readonly sensors: wire.Sensor[];
  private allSensorsJson?: Buffer;
  private readonly sensorById: Map<string, wire.Sensor>;
  private readonly approvals = new Map<string, Approval>();
  private readonly tasks = new Map<string, TaskRecord>();
  /** The events API's log (kept EVENT_RETENTION_MS) and readers waiting for the next event. */
  private readonly eventLog: { seq: number; at: number; event: Record<string, unknown> }[] = [];
  private eventSeq = 0;
  private readonly eventWaiters = new Set<() => void>();
  private readonly isolation = new Map<string, wire.IsolationSettings>();
  private readonly prevention = new Map<string, wire.PreventionObject[]>();
  autoApprove: boolean;
  now: () => number;
  readonly timing: Required<TaskTiming>;

  constructor(options: KataRoutesOptions) {
    this.sensors = options.seedSensors;
    this.sensorById = new Map(this.sensors.map((s) => [s.sensorId.toUpperCase(), s]));
    this.autoApprove = options.autoApprove ?? false;
    this.now = options.now ?? Date.now;
    this.timing = {
      pollsToStart: options.pollsToStart ?? 1,
      pollsToFinish: options.pollsToFinish ?? 2,
      startAfterMs: options.startAfterMs ?? 2_000,
      finishAfterMs: options.finishAfterMs ?? 10_000,
    };
  }

  // ---- approval of external systems ----

  /** Marks a pair approved (what the KATA administrator does in the web UI). */
  approveClient(externalSystemId: string, cert: string | Buffer): void {
    this.approvals.set(externalSystemId.toUpperCase(), {
      fingerprint: certificateFingerprint(cert),
      state: 'approved',
    });
  }

  /** Approves the pending request of an id; false when there is none. */
  approve(externalSystemId: string): boolean {
    const approval = this.approvals.get(externalSystemId.toUpperCase());
    if (!approval || approval.state !== 'pending') return false;
    approval.state = 'approved';
    return true;
  }

  /** Ids whose authorization request awaits an administrator. */
  pendingApprovals(): string[] {
    return [...this.approvals].filter(([, a]) => a.state === 'pending').map(([id]) => id);
  }

  // ---- read access for tests ----

  sensorList(): readonly wire.Sensor[] {
    return this.sensors;
  }

  taskCount(): number {
    return this.tasks.size;
  }

  taskState(taskId: string): TaskState | undefined {
    return this.tasks.get(taskId.toLowerCase())?.state;
  }

  // ---- SimulatorRoutes ----

  endpointOf(req: SimRequest): string | undefined {
    if (EVENTS_ROUTE.test(req.path)) return req.method === 'GET' ? 'GET events' : undefined;
    const match = ROUTE.exec(req.path);
    if (!match) return undefined;
    const resource = match[2]!.startsWith('tasks/') ? 'tasks' : match[2]!;
    return `${req.method} ${resource}`;
  }

  /** KATA has no sessions (every request authenticates by its client certificate) and no result sets. */
  open(): OpenResources {
    return {
      sessions: 0,
      accessors: 0,
      iterators: 0,
      tasks: this.tasks.size,
      pendingApprovals: this.pendingApprovals().length,
    };
  }

  handle(req: SimRequest, endpoint: string): Reply | Promise<Reply> {
    const events = EVENTS_ROUTE.exec(req.path);
    if (events) {
      const denied = this.authorize(decodeURIComponent(events[1]!), req.socket as TLSSocket);
      return denied ?? this.readEvents(req.query);
    }
    const match = ROUTE.exec(req.path)!;
    const systemId = decodeURIComponent(match[1]!);
    const denied = this.authorize(systemId, req.socket as TLSSocket);
    if (denied) return denied;
    const taskId = match[3] === undefined ? undefined : decodeURIComponent(match[3]);
    switch (endpoint) {
      case 'GET sensors':
        return this.listSensors(req.query);
      case 'GET settings':
      case 'POST settings':
      case 'DELETE settings':
        return this.settings(req);
      case 'GET tasks':
        return this.getTask(taskId!, req.query);
      case 'POST tasks':
        return this.createTask(taskId!, req);
      case 'DELETE tasks':
        return this.deleteTask(taskId!);
      default:
        return json(405, { error: 'Method Not Allowed' });
    }
  }

  /**
   * The pair (external system id, client certificate) must be approved. An unknown pair is
   * recorded as pending and refused with 403; a certificate other than the approved one for an id
   * gets 401, like a request without any certificate.
   */
  private authorize(systemId: string, socket: TLSSocket): Reply | undefined {
    if (!SYSTEM_ID.test(systemId)) return badRequest('external_system_id is malformed');
    const fingerprint = peerFingerprint(socket);
    if (!fingerprint) return json(401, { error: 'Authorization required', message: 'client certificate required' });
    const key = systemId.toUpperCase();
    const known = this.approvals.get(key);
    if (known?.state === 'approved') {
      return known.fingerprint === fingerprint
        ? undefined
        : json(401, { error: 'Authorization required', message: 'certificate does not match the approved one' });
    }
    if (this.autoApprove) {
      this.approvals.set(key, { fingerprint, state: 'approved' });
      return undefined;
    }
    // A new certificate for a pending id replaces the request (changing it means asking again).
    this.approvals.set(key, { fingerprint, state: 'pending' });
    return json(403, { error: 'Forbidden', message: 'authorization request pending approval' });
  }

  private listSensors(query: URLSearchParams): Reply {
    const ip = query.get('ip');
    const host = query.get('host');
    const sensorId = query.get('sensor_id')?.toUpperCase();
    // The whole list never changes: serialised once (a few hundred kB asked for on every join).
    if (!ip && !host && !sensorId) {
      this.allSensorsJson ??= Buffer.from(
        JSON.stringify({
          server: { version: KATA_SERVER_VERSION },
          sensors: this.sensors,
        } satisfies wire.SensorsResponse),
      );
      return { status: 200, jsonBytes: this.allSensorsJson };
    }
    const sensors = this.sensors.filter(
      (s) =>
        (!ip || s.hostIp === ip) &&
        (!host || s.hostName === host) &&
        (!sensorId || s.sensorId.toUpperCase() === sensorId),
    );
    return json(200, { server: { version: KATA_SERVER_VERSION }, sensors } satisfies wire.SensorsResponse);
  }

  private settings(req: SimRequest): Reply {
    const sensorParam = req.query.get('sensor_id');
    const type = req.query.get('settings_type');
    if (!sensorParam) return badRequest('sensor_id is required');
    // 4.x–6.x docs spell it network_izolation; both are accepted.
    const kind =
      type === 'network_isolation' || type === 'network_izolation'
        ? 'isolation'
        : type === 'prevention'
          ? 'prevention'
          : undefined;
    if (!kind) return badRequest('settings_type must be network_isolation or prevention');
    const all = sensorParam.toLowerCase() === 'all';
    if (all && kind === 'isolation') return badRequest('sensor_id=all is for prevention only');
    const sensorId = all ? 'all' : sensorParam.toUpperCase();
    if (!all && !this.sensorById.has(sensorId)) return notFound();

    if (kind === 'isolation') {
      if (req.method === 'GET') {
        const current = this.isolation.get(sensorId);
        return json(200, current ? [current] : []);
      }
      if (req.method === 'DELETE') {
        this.isolation.delete(sensorId);
        this.emit({ Type: 'NetworkIsolation', SensorId: sensorId, Isolated: false });
        return json(200, {});
      }
      const parsed = parseBody(req);
      if (parsed instanceof Error) return badRequest(parsed.message);
      const settings = (parsed as { settings?: wire.IsolationSettings } | undefined)?.settings;
      const timeout = settings?.autoTurnoffTimeoutInSec;
      if (!Number.isInteger(timeout) || timeout! < ISOLATION_MIN_S || timeout! > ISOLATION_MAX_S) {
        return badRequest(`autoTurnoffTimeoutInSec must be an integer from ${ISOLATION_MIN_S} to ${ISOLATION_MAX_S}`);
      }
      const rules = settings!.excludedRules ?? [];
      if (!Array.isArray(rules) || !rules.every(validExclusion)) return badRequest('excludedRules are malformed');
      const stored: wire.IsolationSettings = { excludedRules: rules, autoTurnoffTimeoutInSec: timeout };
      this.isolation.set(sensorId, stored);
      this.emit({ Type: 'NetworkIsolation', SensorId: sensorId, Isolated: true, AutoTurnoffTimeoutInSec: timeout });
      return json(200, [stored]);
    }

    if (req.method === 'GET') return json(200, { settings: { objects: this.prevention.get(sensorId) ?? [] } });
    if (req.method === 'DELETE') {
      this.prevention.delete(sensorId);
      return json(200, {});
    }
    const parsed = parseBody(req);
    if (parsed instanceof Error) return badRequest(parsed.message);
    const objects = (parsed as { settings?: { objects?: unknown } } | undefined)?.settings?.objects;
    if (!Array.isArray(objects) || !objects.every(validPreventionObject))
      return badRequest('settings.objects are malformed');
    // POST replaces the whole rule set: real clients GET, merge and re-POST.
    this.prevention.set(sensorId, objects as wire.PreventionObject[]);
    return json(200, { settings: { objects } });
  }

  private getTask(taskId: string, query: URLSearchParams): Reply {
    const settings = query.get('settings');
    if (settings !== null && settings !== 'true' && settings !== 'false')
      return badRequest('settings must be true or false');
    if (!UUID.test(taskId)) return badRequest('task_id must be a UUID');
    const record = this.tasks.get(taskId.toLowerCase());
    if (!record) return notFound();
    record.polls++;
    this.advance(record);
    return json(200, this.view(record, settings === 'true'));
  }

  private createTask(taskId: string, req: SimRequest): Reply {
    if (!UUID.test(taskId)) return badRequest('task_id must be a UUID');
    const sensorParam = req.query.get('sensor_id');
    if (!sensorParam) return badRequest('sensor_id is required');
    if (req.query.get('task_type') !== 'run_process') return badRequest('task_type must be run_process');
    const parsed = parseBody(req);
    if (parsed instanceof Error) return badRequest(parsed.message);
    const task = (parsed as Partial<wire.RunProcessTaskBody> | undefined)?.task;
    if (!task || typeof task.execCommand !== 'string' || task.execCommand.trim() === '')
      return badRequest('task.execCommand is required');
    for (const field of ['cmdLineParameters', 'workingDirectory'] as const) {
      if (task[field] !== undefined && typeof task[field] !== 'string')
        return badRequest(`task.${field} must be a string`);
    }
    const sensor = this.sensorById.get(sensorParam.toUpperCase());
    if (!sensor) return notFound();
    if (this.tasks.has(taskId.toLowerCase()))
      return json(409, { error: 'Conflict', message: 'the task with the specified ID already exists' });

    const schedule = task.schedule ?? task.shedule ?? {};
    const record: TaskRecord = {
      taskId,
      sensorId: sensor.sensorId,
      task: {
        schedule: { startNow: schedule.startNow !== false },
        execCommand: task.execCommand,
        ...(task.cmdLineParameters !== undefined ? { cmdLineParameters: task.cmdLineParameters } : {}),
        ...(task.workingDirectory !== undefined ? { workingDirectory: task.workingDirectory } : {}),
      },
      startNow: schedule.startNow !== false,
      createdAt: this.now(),
      polls: 0,
      state: 'pending',
      // Deterministic: a command that names something missing fails, everything else completes.
      outcome: /nonexistent|missing|does-not-exist/i.test(`${task.execCommand} ${task.cmdLineParameters ?? ''}`)
        ? 'failed'
        : 'completed',
    };
    this.tasks.set(taskId.toLowerCase(), record);
    return json(200, this.view(record, true));
  }

  private deleteTask(taskId: string): Reply {
    if (!UUID.test(taskId)) return badRequest('task_id must be a UUID');
    return this.tasks.delete(taskId.toLowerCase()) ? json(200, {}) : notFound();
  }

  // ---- events API ----

  /**
   * GET events: without `continuation_token`, no events and a token for what comes next; with one,
   * the events after it (at most `max_events`), waiting up to `max_timeout` (ISO 8601, `PT30S`) when
   * there are none yet, and the token to continue from. A token older than the retention is refused.
   */
  private async readEvents(query: URLSearchParams): Promise<Reply> {
    for (const record of this.tasks.values()) this.advance(record);
    this.trimEvents();
    const token = query.get('continuation_token');
    const last = this.eventLog.at(-1)?.seq ?? this.eventSeq;
    if (!token) return json(200, { events: [], continuationToken: eventToken(last) });
    const after = seqOf(token);
    const oldest = this.eventLog[0]?.seq ?? this.eventSeq + 1;
    if (after === undefined || after > last || after < oldest - 1)
      return badRequest('continuation_token is unknown or expired');
    const max = query.get('max_events') === null ? 100 : Number(query.get('max_events'));
    if (!Number.isInteger(max) || max < 1 || max > MAX_EVENTS)
      return badRequest(`max_events must be 1 to ${MAX_EVENTS}`);
    const timeout = /^PT(\d+)S$/.exec(query.get('max_timeout') ?? 'PT0S');
    if (!timeout || Number(timeout[1]) > MAX_TIMEOUT_S) return badRequest('max_timeout must be PT0S to PT60S');
    if (this.eventLog.at(-1)?.seq === after && Number(timeout[1]) > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Number(timeout[1]) * 1000);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.eventWaiters.add(done);
      });
    }
    const events = this.eventLog.filter((e) => e.seq > after).slice(0, max);
    const next = events.at(-1)?.seq ?? after;
    return json(200, { events: events.map((e) => e.event), continuationToken: eventToken(next) });
  }

  /** Records a new event for the events API (and wakes readers waiting for one). */
  private emit(event: Record<string, unknown>): void {
    const seq = ++this.eventSeq;
    this.eventLog.push({ seq, at: this.now(), event: { Id: seq, Timestamp: this.now() * 1_000_000, ...event } });
    this.trimEvents();
    for (const wake of this.eventWaiters) wake();
    this.eventWaiters.clear();
  }

  private trimEvents(): void {
    const horizon = this.now() - EVENT_RETENTION_MS;
    while (this.eventLog.length && this.eventLog[0]!.at < horizon) this.eventLog.shift();
  }

  /** The estate at work: a sensor reports an IOA detection. */
  activity(): void {
    const sensor = this.sensors[this.eventSeq % Math.max(1, this.sensors.length)];
    if (!sensor) return;
    const rule = IOA_RULES[this.eventSeq % IOA_RULES.length]!;
    this.emit({ Type: 'IoaDetection', SensorId: sensor.sensorId, HostName: sensor.hostName, Ioa: { Rules: [rule] } });
  }

  /** pending → running → completed | failed, by GET count or by the clock, whichever comes first. */
  private advance(record: TaskRecord): void {
    if (!record.startNow) return;
    const before = record.state;
    this.advanceState(record);
    if (record.state !== before)
      this.emit({ Type: 'TaskStateChanged', TaskId: record.taskId, SensorId: record.sensorId, State: record.state });
  }

  private advanceState(record: TaskRecord): void {
    const elapsed = this.now() - record.createdAt;
    const { pollsToStart, pollsToFinish, startAfterMs, finishAfterMs } = this.timing;
    if (record.state === 'pending' && (record.polls >= pollsToStart || elapsed >= startAfterMs)) {
      record.state = 'running';
      record.startedAt = Math.min(this.now(), record.createdAt + startAfterMs);
    }
    if (record.state === 'running' && (record.polls >= pollsToFinish || elapsed >= finishAfterMs)) {
      record.state = record.outcome;
    }
  }

  private view(record: TaskRecord, withSettings: boolean): wire.TaskResponse {
    return {
      state: record.state,
      latestStartDateTime: record.startedAt === undefined ? GO_ZERO_TIME : rfc3339(record.startedAt),
      ...(withSettings ? { task: { ...record.task, sensorId: record.sensorId } } : {}),
    };
  }
}

const IOA_RULES = [
  { Name: 'T1059.001 PowerShell with an encoded command', Severity: 'High' },
  { Name: 'T1003.001 LSASS memory read by a non-system process', Severity: 'High' },
  { Name: 'T1547.001 Run key added for persistence', Severity: 'Medium' },
  { Name: 'T1021.002 Remote service created over SMB', Severity: 'Medium' },
];

function eventToken(seq: number): string {
  return Buffer.from(`events:${seq}`).toString('base64url');
}

function seqOf(token: string): number | undefined {
  const m = /^events:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

function parseBody(req: SimRequest): unknown {
  try {
    return req.json();
  } catch {
    return new Error('the body is not JSON');
  }
}

function validExclusion(rule: unknown): boolean {
  const r = rule as wire.IsolationExclusion;
  return (
    typeof r === 'object' &&
    r !== null &&
    ['inbound', 'outbound', 'both'].includes(r.direction) &&
    (r.protocol === undefined || (Number.isInteger(r.protocol) && r.protocol >= 0 && r.protocol <= 255)) &&
    [r.localPortRange, r.remotePortRange].every(
      (p) => p === undefined || (Number.isInteger(p.fromPort) && Number.isInteger(p.toPort) && p.fromPort <= p.toPort),
    )
  );
}

function validPreventionObject(object: unknown): boolean {
  const file = (object as wire.PreventionObject | null)?.file;
  if (!file || typeof file !== 'object') return false;
  return (file.sha256 !== undefined && SHA256.test(file.sha256)) || (file.md5 !== undefined && MD5.test(file.md5));
}

/** Go's RFC 3339 rendering of a UTC time, seconds precision. */
function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A TLS connection's client certificate cannot change: fingerprint it once per connection. */
const fingerprints = new WeakMap<TLSSocket, string | null>();

function peerFingerprint(socket: TLSSocket): string | null {
  let known = fingerprints.get(socket);
  if (known === undefined) {
    const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
    known = peer?.raw ? certificateFingerprint(peer.raw) : null;
    fingerprints.set(socket, known);
  }
  return known;
}
