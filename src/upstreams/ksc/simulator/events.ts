import { Random } from '../../sim/random';
import { matchFilter } from '../filter';
import type { FilterNode } from '../filter';
import { KscLong } from '../wire';
import type { Row, SimGroup, SimHost } from './data';

/** Kinds of events, with weights, severities and texts. */
export const EVENT_KINDS = [
  { type: 'KLPRCI_TaskState', name: 'Task state changed', severity: 1, weight: 30, product: 'KES' },
  {
    type: 'KLNAG_EV_DEVICE_ONLINE',
    name: 'Device has become visible on the network',
    severity: 1,
    weight: 14,
    product: '1093',
  },
  { type: 'GNRL_EV_UPDATE_COMPLETED', name: 'Databases updated', severity: 1, weight: 12, product: 'KES' },
  { type: 'KLAVP_EV_BASES_OUTDATED', name: 'Databases are outdated', severity: 2, weight: 10, product: 'KES' },
  { type: 'GNRL_EV_LICENSE_EXPIRES_SOON', name: 'License expires soon', severity: 2, weight: 6, product: 'KES' },
  { type: 'GNRL_EV_OBJECT_NOTCURED', name: 'Object not disinfected', severity: 3, weight: 5, product: 'KES' },
  { type: 'GNRL_EV_APP_LAUNCH_DENIED', name: 'Application startup prohibited', severity: 3, weight: 5, product: 'KES' },
  { type: 'GNRL_EV_OBJECT_QUARANTINED', name: 'Object moved to quarantine', severity: 3, weight: 5, product: 'KES' },
  { type: 'GNRL_EV_VIRUS_FOUND', name: 'Malicious object detected', severity: 4, weight: 8, product: 'KES' },
  { type: 'GNRL_EV_ATTACK_DETECTED', name: 'Network attack detected', severity: 4, weight: 5, product: 'KES' },
] as const;
const EVENT_WEIGHT = EVENT_KINDS.reduce((s, k) => s + k.weight, 0);
const SCAN_TASKS = ['Virus scan', 'Critical areas scan', 'Update', 'Find vulnerabilities and required updates'];

export const THREATS = [
  'HEUR:Trojan.Win32.Generic',
  'Trojan-Downloader.Win32.Agent.hxyz',
  'Exploit.MSOffice.CVE-2017-11882.gen',
  'HEUR:Trojan-Ransom.Win32.Encoder.gen',
  'not-a-virus:RemoteAdmin.Win32.AnyDesk.a',
  'Backdoor.Win32.Cobalt.bq',
  'EICAR-Test-File',
];
export const LINUX_THREATS = [
  'HEUR:Trojan.Linux.Agent.gen',
  'HEUR:Backdoor.Linux.Mirai.b',
  'not-a-virus:HEUR:RiskTool.Linux.BitCoinMiner.n',
  'EICAR-Test-File',
];
/** Where detections are found: `%u` is the host's user. */
export const SUSPICIOUS = [
  'C:\\Users\\%u\\Downloads\\invoice_2291.exe',
  'C:\\Users\\%u\\AppData\\Local\\Temp\\setup_x64.tmp',
  'C:\\Users\\%u\\Documents\\report_Q3.docm',
  'C:\\ProgramData\\Temp\\update_helper.exe',
  'C:\\Users\\%u\\Desktop\\eicar.com',
  'C:\\Windows\\Temp\\svch0st.exe',
];
export const LINUX_SUSPICIOUS = [
  '/tmp/.X11-unix/kdevtmpfsi',
  '/home/%u/Downloads/eicar.com',
  '/var/tmp/.s.sh',
  '/dev/shm/.x',
];

/** Attributes an event has without drawing its details: filters over only these stay cheap. */
const LIGHT = new Set([
  'event_id',
  'event_type',
  'event_type_display_name',
  'GNRL_EA_SEVERITY',
  'hostname',
  'hostdn',
  'domain_name',
  'group_id',
  'group_name',
  'product_name',
  'product_version',
  'product_displ_version',
  'rise_time',
  'registration_time',
]);

export interface EventSource {
  seed: number;
  epochMs: number;
  hosts: readonly SimHost[];
  groupById(id: number): SimGroup | undefined;
  userOf(host: SimHost): string;
}

/** A page source for result sets: an array, or events drawn as they are read. */
export interface Rows {
  readonly length: number;
  at(index: number): Row | undefined;
}

/**
 * The events database over 30 days: a host and a kind per event in typed arrays (a few bytes each,
 * so millions fit), rise times from the position (newest first), and each event's row drawn from
 * (seed, position) when it is read. Filters narrow by time (and event id) with a binary search
 * first, and by host through a per-host position list.
 */
export class KscEvents {
  private readonly hostOf: Int32Array;
  private readonly kindOf: Uint8Array;
  private readonly stepMs: number;
  private byHost?: { offsets: Int32Array; positions: Int32Array };
  /** Events reported since the start (the estate's activity), oldest first; coded -1, -2, … in selections. */
  private readonly live: Row[] = [];

  constructor(
    private readonly source: EventSource,
    readonly count: number,
  ) {
    this.stepMs = (30 * 86_400_000) / count;
    this.hostOf = new Int32Array(count);
    this.kindOf = new Uint8Array(count);
    const r = new Random((source.seed * 0x9e3779b1) ^ 0x5eed);
    const hosts = source.hosts.length;
    for (let i = 0; i < count; i++) {
      this.hostOf[i] = Math.floor(r.next() * hosts);
      let w = r.next() * EVENT_WEIGHT;
      let kind = 0;
      while (kind < EVENT_KINDS.length - 1 && (w -= EVENT_KINDS[kind]!.weight) >= 0) kind++;
      this.kindOf[i] = kind;
    }
  }

  /** Rise time of the event at a position: non-increasing with the position, whole seconds. */
  riseMs(i: number): number {
    return Math.floor((this.source.epochMs - (i + fraction(this.source.seed, i)) * this.stepMs) / 1000) * 1000;
  }

  eventId(i: number): number {
    return this.count - i + 1_000_000;
  }

  /** The id the next reported event gets: after every stored and reported one. */
  nextEventId(): number {
    return this.count + 1_000_001 + this.live.length;
  }

  /** A host reported an event now: it is the newest. */
  addLive(row: Row): void {
    this.live.push(row);
  }

  /** Positions whose events match, in the stored order (rise_time descending). */
  select(
    filter: FilterNode | undefined,
    equalities: [string, unknown[]][],
    sinceMs: number | undefined,
    host: SimHost | undefined,
    nowMs: number,
    comparable: (v: unknown) => unknown,
  ): Int32Array {
    const [lo, upper] = this.range(filter, nowMs);
    const hi = sinceMs === undefined ? upper : Math.min(upper, this.firstAtOrBefore(sinceMs - 1));
    const attrs = new Set(equalities.map(([k]) => k));
    if (filter) attributesOf(filter, attrs);
    const light = [...attrs].every((a) => LIGHT.has(a));
    const rowOf = (i: number) => (light ? this.lightRow(i) : this.row(i));
    const keep = (i: number) => {
      if (!filter && equalities.length === 0) return true;
      const row = rowOf(i);
      return (
        (!filter || matchFilter(filter, row, nowMs)) &&
        equalities.every(([key, wanted]) => wanted.includes(comparable(row[key])))
      );
    };
    const out = new Int32Array(this.live.length + Math.max(0, hi - lo));
    let n = 0;
    // Reported events are the newest: first, newest of them first, matched on their own rows.
    for (let k = this.live.length - 1; k >= 0; k--) {
      const row = this.live[k]!;
      if (
        (!host || row.hostname === host.id) &&
        (sinceMs === undefined || (row.rise_time as Date).getTime() >= sinceMs) &&
        (!filter || matchFilter(filter, row, nowMs)) &&
        equalities.every(([key, wanted]) => wanted.includes(comparable(row[key])))
      )
        out[n++] = -(k + 1);
    }
    if (host) {
      const { offsets, positions } = this.hostIndex();
      const hostIndex = this.source.hosts.indexOf(host);
      for (let k = offsets[hostIndex]!; k < offsets[hostIndex + 1]!; k++) {
        const i = positions[k]!;
        if (i >= lo && i < hi && keep(i)) out[n++] = i;
      }
    } else {
      for (let i = lo; i < hi; i++) if (keep(i)) out[n++] = i;
    }
    return out.subarray(0, n);
  }

  /** A result set's rows over selected positions, drawn as pages are read. */
  rows(positions: Int32Array): Rows {
    return { length: positions.length, at: (k) => (k < positions.length ? this.row(positions[k]!) : undefined) };
  }

  /** The k-th event, newest first: reported ones, then the stored ones. */
  at(k: number): Row {
    return k < this.live.length ? this.live[this.live.length - 1 - k]! : this.row(k - this.live.length);
  }

  /** How many events there are, reported ones included. */
  get size(): number {
    return this.count + this.live.length;
  }

  /** What an event has without its details. */
  lightRow(i: number): Row {
    const host = this.source.hosts[this.hostOf[i]!]!;
    return eventRow(
      host,
      EVENT_KINDS[this.kindOf[i]!]!,
      this.source.groupById(host.groupId)!,
      this.eventId(i),
      this.riseMs(i),
    );
  }

  /** The whole event, its details drawn from (seed, position); a negative position is a reported one. */
  row(i: number): Row {
    if (i < 0) return this.live[-i - 1]!;
    const ev = this.lightRow(i);
    const host = this.source.hosts[this.hostOf[i]!]!;
    const kind = EVENT_KINDS[this.kindOf[i]!]!;
    const r = new Random((this.source.seed * 0x85ebca6b) ^ (i * 0x27d4eb2f));
    const windows = host.machine.osFamily === 'Windows';
    const user = this.source.userOf(host);
    if (kind.type === 'KLPRCI_TaskState') {
      const task = SCAN_TASKS[Math.floor(r.next() * SCAN_TASKS.length)]!;
      const ok = r.chance(0.9);
      Object.assign(ev, {
        task_display_name: task,
        task_old_state: 2,
        task_new_state: ok ? 4 : 16,
        GNRL_COMPLETED_PERCENT: ok ? 100 : r.int(10, 90),
        GNRL_EA_DESCRIPTION: `Task "${task}" ${ok ? 'completed' : 'failed'}`,
      });
    } else if (
      kind.type === 'GNRL_EV_VIRUS_FOUND' ||
      kind.type === 'GNRL_EV_OBJECT_QUARANTINED' ||
      kind.type === 'GNRL_EV_OBJECT_NOTCURED'
    ) {
      const threat = r.pick(windows ? THREATS : LINUX_THREATS);
      const object = r.pick(windows ? SUSPICIOUS : LINUX_SUSPICIOUS).replace('%u', user.split('\\')[1]!);
      const byScan = r.chance(0.5);
      Object.assign(ev, {
        task_display_name: byScan ? r.pick(['Virus scan', 'Critical areas scan']) : 'File Threat Protection',
        GNRL_EA_PARAM_2: object,
        GNRL_EA_PARAM_5: threat,
        GNRL_EA_PARAM_7: user,
        GNRL_EA_PARAM_8: r.pick(['Heuristic analysis', 'Signature analysis', 'Machine learning']),
        GNRL_EA_DESCRIPTION: `${kind.name}: ${threat} in ${object}`,
      });
    } else if (kind.type === 'GNRL_EV_ATTACK_DETECTED') {
      Object.assign(ev, {
        task_display_name: 'Network Threat Protection',
        GNRL_EA_PARAM_1: `10.${r.int(0, 40)}.${r.int(0, 255)}.${r.int(1, 254)}`,
        GNRL_EA_PARAM_5: r.pick(
          windows
            ? ['Intrusion.Win.MS17-010.o', 'Scan.Generic.PortScan.TCP', 'Bruteforce.Generic.RDP.a']
            : ['Scan.Generic.PortScan.TCP', 'Bruteforce.Generic.SSH.a'],
        ),
        GNRL_EA_DESCRIPTION: 'Network attack blocked',
      });
    } else {
      Object.assign(ev, { GNRL_EA_DESCRIPTION: kind.name });
    }
    return ev;
  }

  /** [lo, hi) of positions a filter's top-level time and id bounds allow. */
  private range(filter: FilterNode | undefined, nowMs: number): [number, number] {
    let lo = 0;
    let hi = this.count;
    const items = !filter ? [] : filter.kind === 'and' ? filter.items : [filter];
    for (const item of items) {
      if (item.kind !== 'item' || item.mask !== undefined) continue;
      const v = item.value;
      if (item.attr === 'rise_time' && (v.kind === 'time' || v.kind === 'curtime')) {
        const t = v.kind === 'time' ? v.value.getTime() : nowMs + v.deltaSeconds * 1000;
        if (item.op === '>') hi = Math.min(hi, this.firstAtOrBefore(t));
        else if (item.op === '<') lo = Math.max(lo, this.firstAtOrBefore(t - 1));
      } else if (item.attr === 'event_id' && item.op === '=' && v.kind === 'int') {
        const i = this.count - (v.value - 1_000_000);
        if (i >= 0 && i < this.count) [lo, hi] = [Math.max(lo, i), Math.min(hi, i + 1)];
        else return [0, 0];
      }
    }
    return [lo, Math.max(lo, hi)];
  }

  /** The first position whose rise time is at or before `t` (count when none). */
  private firstAtOrBefore(t: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.riseMs(mid) <= t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private hostIndex(): { offsets: Int32Array; positions: Int32Array } {
    if (this.byHost) return this.byHost;
    const hosts = this.source.hosts.length;
    const offsets = new Int32Array(hosts + 1);
    for (let i = 0; i < this.count; i++) offsets[this.hostOf[i]! + 1]!++;
    for (let h = 0; h < hosts; h++) offsets[h + 1]! += offsets[h]!;
    const next = offsets.slice(0, hosts);
    const positions = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) positions[next[this.hostOf[i]!]!++] = i;
    return (this.byHost = { offsets, positions });
  }
}

/** The attributes every event of `kind` on `host` has, whatever else it tells. */
export function eventRow(
  host: SimHost,
  kind: (typeof EVENT_KINDS)[number],
  group: SimGroup,
  eventId: number,
  riseMs: number,
): Row {
  return {
    event_id: new KscLong(eventId),
    event_type: kind.type,
    event_type_display_name: kind.name,
    GNRL_EA_SEVERITY: kind.severity,
    hostname: host.id,
    hostdn: host.name,
    domain_name: host.row.KLHST_WKS_WINDOMAIN || host.machine.domain,
    group_id: group.id,
    group_name: group.name,
    product_name: kind.product,
    product_version: kind.product === 'KES' ? '11.0.0.0' : '1.0.0.0',
    product_displ_version: kind.product === 'KES' ? kesVersion(host) : '14.2.0.26967',
    rise_time: new Date(riseMs),
    registration_time: new Date(riseMs + 2000),
  };
}

function kesVersion(host: SimHost): string {
  return String(host.row.KLHST_WKS_RTP_AV_VERSION ?? '12.6.0.438');
}

/** A stable fraction in [0, 1) per (seed, position), so rise times need no storage. */
function fraction(seed: number, i: number): number {
  let h = Math.imul(i ^ seed, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

function attributesOf(node: FilterNode, into: Set<string>): void {
  if (node.kind === 'item') into.add(node.attr);
  else if (node.kind === 'not') attributesOf(node.item, into);
  else for (const item of node.items) attributesOf(item, into);
}
