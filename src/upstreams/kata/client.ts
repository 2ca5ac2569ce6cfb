import { randomUUID } from 'node:crypto';

import type { CreateKataTaskRecord, KataEventRecord, KataTaskRecord } from '../../domain/kata-task';
import type {
  IsolationExclusionRecord,
  PreventionRuleRecord,
  SensorFilterRecord,
  SensorIsolationRecord,
  SensorRecord,
} from '../../domain/sensor';
import { BadInputError, GatewayError } from '../../errors/gateway-error';
import { UpstreamError } from '../../errors/upstream-error';
import type { Transport, UpstreamRequest, UpstreamResponse } from '../transport';
import { viewWith } from '../upstream-client';
import type { UpstreamClient } from '../upstream-client';
import {
  preventionKey,
  toExclusionWire,
  toIsolation,
  toKataTask,
  toPreventionRule,
  toPreventionWire,
  toKataEvent,
  toSensor,
} from './map';
import type * as wire from './wire';

const RESPONSE_API = '/kata/response_api/v1';
const EVENTS_API = '/kata/events_api/v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A sensor id no agent has: the cheapest authenticated call for ping(). */
const NIL_SENSOR = '00000000-0000-0000-0000-000000000000';

export interface KataClientOptions {
  /** `/kata/response_api/v1` unless KATA_URL carried a path of its own. */
  basePath?: string;
  /** @default crypto.randomUUID */
  newTaskId?: () => string;
}

export interface IsolateSensorArgs {
  /** 1 to 9999 hours, in seconds. */
  autoTurnoffTimeoutSeconds: number;
  exclusions?: IsolationExclusionRecord[];
}

/**
 * KATA Central Node response_api v1 as an external system over mutual TLS: sensors, run-process
 * tasks, network isolation and prevention rules. The identity is the client certificate plus the
 * external system id in every path; KATA refuses both until an administrator approves the pair.
 */
export class KataClient implements UpstreamClient {
  readonly upstream = 'kata' as const;
  private readonly base: string;
  private readonly eventsPath: string;
  private readonly newTaskId: () => string;

  constructor(
    private readonly http: Transport,
    private readonly externalSystemId: string,
    { basePath = RESPONSE_API, newTaskId = randomUUID }: KataClientOptions = {},
  ) {
    this.base = `${basePath}/${encodeURIComponent(externalSystemId)}`;
    // The events API sits beside the response API, under the same path prefix.
    this.eventsPath = `${basePath.slice(0, -RESPONSE_API.length) || ''}${EVENTS_API}/${encodeURIComponent(externalSystemId)}/events`;
    this.newTaskId = newTaskId;
  }

  async ping(): Promise<void> {
    const res = await this.send({
      method: 'GET',
      path: `/sensors?sensor_id=${NIL_SENSOR}`,
      label: 'sensors',
      idempotent: true,
    });
    // 404 for an unknown sensor still proves the certificate and id were accepted.
    if (res.status !== 200 && res.status !== 404) throw this.errorFromResponse(res, 'sensors');
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  withSignal(signal: AbortSignal): this {
    return viewWith(this, this.http.withSignal(signal));
  }

  // ---- events API ----

  /**
   * New events since `continuationToken` (without one: none, and a token for what comes next),
   * at most `maxEvents`, KATA waiting up to `maxTimeoutS` for the first one. KATA keeps new events
   * two hours: an older token is refused. Safe to repeat: reading does not consume.
   */
  async events(
    continuationToken: string | null,
    { maxEvents = 500, maxTimeoutS = 0 }: { maxEvents?: number; maxTimeoutS?: number } = {},
  ): Promise<{ events: KataEventRecord[]; continuationToken: string }> {
    const query = new URLSearchParams({ max_events: String(maxEvents), max_timeout: `PT${maxTimeoutS}S` });
    if (continuationToken) query.set('continuation_token', continuationToken);
    const res = await this.http.request({
      method: 'GET',
      path: `${this.eventsPath}?${query}`,
      label: 'events',
      idempotent: true,
    });
    if (res.status !== 200) throw this.errorFromResponse(res, 'events');
    const body = res.json as wire.EventsResponse | undefined;
    return { events: (body?.events ?? []).map(toKataEvent), continuationToken: body?.continuationToken ?? '' };
  }

  // ---- sensors ----

  async listSensors(filter: SensorFilterRecord = {}): Promise<SensorRecord[]> {
    const query = new URLSearchParams();
    if (filter.ipAddress) query.set('ip', filter.ipAddress);
    if (filter.hostName) query.set('host', filter.hostName);
    if (filter.sensorId) query.set('sensor_id', filter.sensorId);
    const qs = query.size ? `?${query}` : '';
    const res = await this.send({ method: 'GET', path: `/sensors${qs}`, label: 'sensors', idempotent: true });
    // Some nodes answer 404 for a filter nothing matches; that is an empty list.
    if (res.status === 404 && qs) return [];
    if (res.status !== 200) throw this.errorFromResponse(res, 'sensors');
    const body = res.json as wire.SensorsResponse | undefined;
    return (body?.sensors ?? []).map(toSensor);
  }

  async sensor(sensorId: string): Promise<SensorRecord | null> {
    const [found] = await this.listSensors({ sensorId });
    return found ?? null;
  }

  // ---- run-process tasks ----

  /** The task, or null when KATA has none with this id (never created, or deleted). */
  async getTask(taskId: string): Promise<KataTaskRecord | null> {
    if (!UUID.test(taskId)) return null;
    const res = await this.send({
      method: 'GET',
      path: `/tasks/${encodeURIComponent(taskId)}?settings=true`,
      label: 'tasks/get',
      idempotent: true,
    });
    if (res.status === 404) return null;
    if (res.status !== 200) throw this.errorFromResponse(res, 'tasks/get');
    return toKataTask(taskId, res.json as wire.TaskResponse);
  }

  /**
   * Idempotent by task id: the id is fixed before the first attempt, so a retry after a lost
   * answer re-sends the same id; KATA's 409 then means "already created", resolved by reading the
   * task back and comparing it with what was asked.
   */
  async createTask(input: CreateKataTaskRecord): Promise<KataTaskRecord> {
    const taskId = input.taskId ?? this.newTaskId();
    if (!UUID.test(taskId)) throw new BadInputError('taskId must be a UUID.', { argument: 'taskId' });
    if (!input.execCommand.trim())
      throw new BadInputError('execCommand must not be empty.', { argument: 'execCommand' });
    const task: wire.RunProcessTask = {
      schedule: { startNow: input.startNow ?? true },
      execCommand: input.execCommand,
      ...(input.cmdLineParameters ? { cmdLineParameters: input.cmdLineParameters } : {}),
      ...(input.workingDirectory ? { workingDirectory: input.workingDirectory } : {}),
    };
    const query = new URLSearchParams({ sensor_id: input.sensorId, task_type: 'run_process' });
    const res = await this.send({
      method: 'POST',
      path: `/tasks/${encodeURIComponent(taskId)}?${query}`,
      label: 'tasks/create',
      body: { task } satisfies wire.RunProcessTaskBody,
      // Safe to repeat: the id makes a duplicate a 409, never a second task.
      idempotent: true,
    });
    if (res.status === 200) {
      return toKataTask(taskId, (res.json as wire.TaskResponse | undefined) ?? { state: 'pending' }, {
        ...task,
        sensorId: input.sensorId,
      });
    }
    if (res.status === 404) {
      throw new UpstreamError('kata', 'NOT_FOUND', `KATA has no sensor ${input.sensorId}.`, { status: 404 });
    }
    if (res.status !== 409) throw this.errorFromResponse(res, 'tasks/create');

    const existing = await this.getTask(taskId);
    if (existing && sameTask(existing, input, task)) return existing;
    throw new GatewayError('BAD_USER_INPUT', `A different KATA task already has the id ${taskId}; use a new taskId.`, {
      details: { argument: 'taskId', reason: 'TASK_ID_IN_USE' },
    });
  }

  /**
   * Deletes a task. Idempotent: a task that is already gone (404) counts as deleted, so a retry
   * after a lost answer does not turn a success into an error.
   */
  async deleteTask(taskId: string): Promise<void> {
    if (!UUID.test(taskId)) throw new BadInputError('taskId must be a UUID.', { argument: 'taskId' });
    const res = await this.send({
      method: 'DELETE',
      path: `/tasks/${encodeURIComponent(taskId)}`,
      label: 'tasks/delete',
      idempotent: true,
    });
    if (res.status === 200 || res.status === 204 || res.status === 404) return;
    throw this.errorFromResponse(res, 'tasks/delete');
  }

  // ---- network isolation ----

  /** The sensor's isolation rule, or null when it has none. */
  async isolation(sensorId: string): Promise<SensorIsolationRecord | null> {
    const res = await this.settings('GET', sensorId, 'network_isolation');
    const list = res.json as wire.IsolationSettings[] | wire.IsolationSettings | undefined;
    const first = Array.isArray(list) ? list[0] : list;
    return first && typeof first.autoTurnoffTimeoutInSec === 'number' ? toIsolation(sensorId, first) : null;
  }

  /** Isolates the host; a new rule replaces the previous one. */
  async isolate(
    sensorId: string,
    { autoTurnoffTimeoutSeconds, exclusions = [] }: IsolateSensorArgs,
  ): Promise<SensorIsolationRecord> {
    if (
      !Number.isInteger(autoTurnoffTimeoutSeconds) ||
      autoTurnoffTimeoutSeconds < 3_600 ||
      autoTurnoffTimeoutSeconds > 9_999 * 3_600
    ) {
      throw new BadInputError('The isolation timeout must be 1 to 9999 hours (3600 to 35996400 seconds).', {
        argument: 'autoTurnoffTimeoutSeconds',
      });
    }
    const settings: wire.IsolationSettings = {
      autoTurnoffTimeoutInSec: autoTurnoffTimeoutSeconds,
      excludedRules: exclusions.map(toExclusionWire),
    };
    const res = await this.settings('POST', sensorId, 'network_isolation', { settings });
    const list = res.json as wire.IsolationSettings[] | undefined;
    return toIsolation(sensorId, (Array.isArray(list) && list[0]) || settings);
  }

  async releaseIsolation(sensorId: string): Promise<void> {
    await this.settings('DELETE', sensorId, 'network_isolation');
  }

  // ---- prevention rules ----

  /** Rules of one sensor, or the global ones with `all`. */
  async preventionRules(sensorId: string): Promise<PreventionRuleRecord[]> {
    const res = await this.settings('GET', sensorId, 'prevention');
    const body = res.json as { settings?: wire.PreventionSettings } | undefined;
    return (body?.settings?.objects ?? []).map(toPreventionRule);
  }

  /** KATA's POST replaces the whole rule set, so this reads, merges and writes it back. */
  async addPreventionRules(sensorId: string, rules: PreventionRuleRecord[]): Promise<PreventionRuleRecord[]> {
    const current = await this.preventionRules(sensorId);
    const merged = new Map(current.map((r) => [preventionKey(r), r]));
    for (const rule of rules) merged.set(preventionKey(rule), rule);
    return this.writePrevention(sensorId, [...merged.values()]);
  }

  async removePreventionRules(sensorId: string, rules: PreventionRuleRecord[]): Promise<PreventionRuleRecord[]> {
    const drop = new Set(
      rules
        .flatMap((r) => [r.sha256 && `sha256:${r.sha256.toLowerCase()}`, r.md5 && `md5:${r.md5.toLowerCase()}`])
        .filter(Boolean),
    );
    const current = await this.preventionRules(sensorId);
    const kept = current.filter((r) => !drop.has(`sha256:${r.sha256}`) && !drop.has(`md5:${r.md5}`));
    if (kept.length === current.length) return current;
    if (kept.length === 0) {
      await this.settings('DELETE', sensorId, 'prevention');
      return [];
    }
    return this.writePrevention(sensorId, kept);
  }

  private async writePrevention(sensorId: string, rules: PreventionRuleRecord[]): Promise<PreventionRuleRecord[]> {
    const res = await this.settings('POST', sensorId, 'prevention', {
      settings: { objects: rules.map(toPreventionWire) },
    });
    const body = res.json as { settings?: wire.PreventionSettings } | undefined;
    return body?.settings?.objects ? body.settings.objects.map(toPreventionRule) : rules;
  }

  private async settings(
    method: 'GET' | 'POST' | 'DELETE',
    sensorId: string,
    type: 'network_isolation' | 'prevention',
    body?: unknown,
  ): Promise<UpstreamResponse> {
    const query = new URLSearchParams({ sensor_id: sensorId, settings_type: type });
    const label = `settings/${type}/${method.toLowerCase()}`;
    // Each settings write states the whole rule, so repeating it is harmless.
    const res = await this.send({ method, path: `/settings?${query}`, label, body, idempotent: true });
    if (res.status === 404)
      throw new UpstreamError('kata', 'NOT_FOUND', `KATA has no sensor ${sensorId}.`, { status: 404 });
    if (res.status !== 200 && res.status !== 204) throw this.errorFromResponse(res, label);
    return res;
  }

  private send(request: UpstreamRequest): Promise<UpstreamResponse> {
    return this.http.request({ ...request, path: `${this.base}${request.path}` });
  }

  /** The one place KATA status codes become coded errors (bodies stay in `cause`). */
  private errorFromResponse(res: UpstreamResponse, label: string): UpstreamError {
    const body = res.json as wire.ErrorResponse | undefined;
    const said = `${body?.error ?? ''} ${body?.message ?? ''}`.toLowerCase();
    const cause = { status: res.status, label, body: res.text.slice(0, 500) };
    const id = this.externalSystemId;
    const pending = /pending|awaiting/.test(said);
    // KATA 4.1/5.1 docs swap 400 and 401 for the settings calls; the body tells them apart.
    const authRequired =
      res.status === 401 || res.status === 403 || (res.status === 400 && /authori[sz]ation required/.test(said));
    if (authRequired && (pending || res.status === 403)) {
      return new UpstreamError(
        'kata',
        'UPSTREAM_AUTH_FAILED',
        `KATA refused the request: the external system id ${id} is awaiting approval in KATA; an administrator must approve it.`,
        { status: res.status, cause },
      );
    }
    if (authRequired && /certificate required/.test(said)) {
      return new UpstreamError(
        'kata',
        'UPSTREAM_AUTH_FAILED',
        'KATA refused the request: it requires a client certificate and none was presented.',
        {
          status: res.status,
          cause,
        },
      );
    }
    if (authRequired) {
      return new UpstreamError(
        'kata',
        'UPSTREAM_AUTH_FAILED',
        `KATA refused the client certificate: the certificate does not match the one approved for external system id ${id}.`,
        { status: res.status, cause },
      );
    }
    if (res.status === 400) {
      return new UpstreamError('kata', 'UPSTREAM_REJECTED', 'KATA rejected the request parameters (400).', {
        status: 400,
        cause,
      });
    }
    if (res.status === 404)
      return new UpstreamError('kata', 'NOT_FOUND', 'KATA has no such object.', { status: 404, cause });
    if (res.status === 429) {
      return new UpstreamError('kata', 'UPSTREAM_RATE_LIMITED', 'KATA is rate limiting the gateway; repeat later.', {
        status: 429,
        cause,
        retryable: true,
      });
    }
    if (res.status >= 500) {
      return new UpstreamError(
        'kata',
        'UPSTREAM_UNAVAILABLE',
        `KATA answered ${res.status}; repeat the request later.`,
        {
          status: res.status,
          cause,
          retryable: true,
        },
      );
    }
    return new UpstreamError('kata', 'UPSTREAM_REJECTED', `KATA answered ${res.status} to ${label}.`, {
      status: res.status,
      cause,
    });
  }
}

/** Whether the task KATA holds under an id is the one this create asked for. */
function sameTask(existing: KataTaskRecord, input: CreateKataTaskRecord, sent: wire.RunProcessTask): boolean {
  const norm = (v: string | null | undefined) => v ?? '';
  return (
    (existing.sensorId === null || existing.sensorId.toUpperCase() === input.sensorId.toUpperCase()) &&
    norm(existing.execCommand) === norm(sent.execCommand) &&
    norm(existing.cmdLineParameters) === norm(sent.cmdLineParameters) &&
    norm(existing.workingDirectory) === norm(sent.workingDirectory) &&
    (existing.startNow === null || existing.startNow === sent.schedule?.startNow)
  );
}
