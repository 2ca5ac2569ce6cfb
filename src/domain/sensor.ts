/** A KATA Endpoint Agent sensor (one per host it watches). */
export interface SensorRecord {
  sensorId: string;
  hostName: string | null;
  ipAddress: string | null;
  osName: string | null;
  osFamily: string | null;
  version: string | null;
  lastAccessTime: Date | null;
  /** Response actions the agent relays, as KATA names them (`network_isolation`, `prevention`, `run_process`). */
  capabilities: string[];
}

export interface SensorFilterRecord {
  ipAddress?: string | null;
  hostName?: string | null;
  sensorId?: string | null;
}

/** One exclusion from network isolation: traffic that keeps flowing. */
export interface IsolationExclusionRecord {
  direction: 'INBOUND' | 'OUTBOUND' | 'BOTH';
  /** IP protocol number (6 TCP, 17 UDP); null for any. */
  protocol: number | null;
  remoteIpv4Address: string | null;
  localPorts: { from: number; to: number } | null;
  remotePorts: { from: number; to: number } | null;
}

/** A sensor's network isolation rule as KATA stores it (it stays after the timeout ends). */
export interface SensorIsolationRecord {
  sensorId: string;
  autoTurnoffTimeoutSeconds: number | null;
  exclusions: IsolationExclusionRecord[];
}

/** A prevention rule: files with this hash are blocked from running. */
export interface PreventionRuleRecord {
  sha256: string | null;
  md5: string | null;
  name: string | null;
}
