/**
 * KATA response_api v1 as it travels (mdr-kata-protocol.md, API 2). Vendor spelling; only the
 * client, the mappers and the simulator see these. Fields the docs leave [UNCONFIRMED] are typed as
 * loosely as the client must accept them.
 */

/** `GET .../sensors` */
export interface SensorsResponse {
  server?: { version?: string };
  sensors: Sensor[];
}

export interface Sensor {
  sensorId: string;
  hostName?: string;
  hostIp?: string;
  /** Epoch seconds in the simulator; the client also accepts epoch ms and ISO strings. */
  lastAccessTimestamp?: number | string | null;
  version?: string;
  selfDefenseState?: boolean;
  licenseStatus?: string;
  osFamily?: string;
  osName?: string;
  capabilities?: string[];
}

/** `settings_type=network_isolation` */
export interface IsolationSettings {
  excludedRules?: IsolationExclusion[];
  autoTurnoffTimeoutInSec?: number;
}

export interface PortRange {
  fromPort: number;
  toPort: number;
}

export interface IsolationExclusion {
  direction: 'inbound' | 'outbound' | 'both';
  /** IP protocol number (6 = TCP, 17 = UDP). */
  protocol?: number;
  remoteIpv4Address?: string;
  localPortRange?: PortRange;
  remotePortRange?: PortRange;
}

/** `settings_type=prevention` */
export interface PreventionSettings {
  objects: PreventionObject[];
}

export interface PreventionObject {
  file: { sha256?: string; md5?: string; name?: string };
}

/** The body of `POST .../tasks/<task_id>?task_type=run_process`. */
export interface RunProcessTaskBody {
  task: RunProcessTask;
}

export interface RunProcessTask {
  schedule?: { startNow?: boolean };
  /** The KATA 7.0 doc text's spelling; accepted by the simulator, never sent by the client. */
  shedule?: { startNow?: boolean };
  execCommand: string;
  cmdLineParameters?: string;
  workingDirectory?: string;
  /** Not in the docs: the simulator echoes the sensor when `settings=true`. */
  sensorId?: string;
}

/** `GET .../tasks/<task_id>` and the answer to its POST. */
export interface TaskResponse {
  state: string;
  /** RFC 3339; Go's zero time (`0001-01-01T00:00:00Z`) before the first start. */
  latestStartDateTime?: string | null;
  /** Only with `settings=true` (and in the answer to a POST). */
  task?: RunProcessTask;
}

export interface ErrorResponse {
  error: string;
  message?: string;
}

/** GET /kata/events_api/v1/<external_system_id>/events */
export interface EventsResponse {
  events?: Event[];
  continuationToken?: string;
}

/** One event of the events API; fields beyond these depend on the kind of event. */
export interface Event {
  Id?: number;
  /** Nanoseconds since the epoch. */
  Timestamp?: number;
  Type?: string;
  SensorId?: string;
  HostName?: string;
  TaskId?: string;
  State?: string;
  [field: string]: unknown;
}
