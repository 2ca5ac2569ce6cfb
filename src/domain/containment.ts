import type { KscTaskRecord } from './ksc';

/** What one product says of a host's network isolation. */
export interface ContainmentSourceRecord {
  upstream: 'MDR' | 'KSC' | 'KATA';
  isolated: boolean;
  /** In the product's terms: "Isolated", the KSC task's state, "Isolation rule set". */
  vendorState: string;
  /** KSC: the newest network isolation (or release) task on the host, which decides. */
  task: KscTaskRecord | null;
  /** KATA: when the isolation rule turns itself off, in seconds after it was set. */
  autoReleaseAfterSeconds: number | null;
}

/** A host's containment across MDR, KSC and KATA, joined by host name. */
export interface ContainmentRecord {
  isolated: boolean;
  sources: ContainmentSourceRecord[];
  /** KSC's view of the agent (null when KSC does not manage the host). */
  agentOnline: boolean | null;
  /** The latest of KSC's last visibility, KATA's last sensor access and MDR's last seen. */
  lastSeen: Date | null;
}
