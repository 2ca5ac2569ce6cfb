/** The gateway's task states, shared by KSC and KATA tasks (GraphQL `TaskState`). */
export type TaskStateName =
  'PENDING' | 'RUNNING' | 'PARTIALLY_COMPLETED' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'UNKNOWN';

/** A KATA run-process task. */
export interface KataTaskRecord {
  taskId: string;
  upstream: 'KATA';
  state: TaskStateName;
  /** The state exactly as KATA gave it. */
  vendorState: string | null;
  /** Null when KATA did not say (its GET answer does not document the sensor). */
  sensorId: string | null;
  latestStartTime: Date | null;
  execCommand: string | null;
  cmdLineParameters: string | null;
  workingDirectory: string | null;
  startNow: boolean | null;
}

export interface CreateKataTaskRecord {
  sensorId: string;
  execCommand: string;
  cmdLineParameters?: string | null;
  workingDirectory?: string | null;
  startNow?: boolean | null;
  /** Given by the caller for an idempotent retry; else the gateway makes one. */
  taskId?: string | null;
}

/** One event of KATA's events API: a detection, a task's new state, an isolation change. */
export interface KataEventRecord {
  eventId: string;
  time: Date;
  /** As KATA names it: `TaskStateChanged`, `IoaDetection`, `NetworkIsolation`, … */
  type: string;
  sensorId: string | null;
  taskId: string | null;
  /** Every field as KATA sent it. */
  attributes: Record<string, unknown>;
}
