import { createHash } from 'node:crypto';

import { buildEstate, FIRST_NAMES, LAST_NAMES } from '../../sim/estate';
import type { EstateMachine } from '../../sim/estate';
import { Random, hashString } from '../../sim/random';
import { KscLong } from '../wire';
import { EVENT_KINDS, KscEvents, SUSPICIOUS, THREATS, eventRow } from './events';

export { EVENT_KINDS } from './events';

/**
 * The KSC simulator's data set: hosts (the estate's inKsc machines) in a group tree, their users,
 * applications, executable files, open ports, quarantine, tasks and 50,000 events. Everything is
 * derived from the seed and built on first use only (tests start the simulator often and most
 * touch a fraction of it); per-host lists are derived per host, not for the whole fleet.
 */

export type Row = Record<string, unknown>;

export interface SimGroup {
  id: number;
  name: string;
  parentId?: number;
  row: Row;
}

export interface SimHost {
  index: number;
  id: string;
  name: string;
  groupId: number;
  machine: EstateMachine;
  row: Row;
}

export type TaskKind = 'scan' | 'quarantine' | 'isolate' | 'unisolate' | 'update' | 'vulnscan' | 'other';

export interface SimTask {
  id: string;
  displayName: string;
  /** TASK_NAME: the task type. */
  typeName: string;
  product: string;
  version: string;
  kind: TaskKind;
  created: Date;
  groupId?: number;
  hostIds: string[];
  settings: Row;
  /** Set by RunTask (or at creation for the predefined, already-run tasks). */
  run?: { startedAt: number; durationMs: number };
  /** Predefined tasks: fixed outcome counts. */
  fixedStats?: Record<string, number>;
  /** Effects (quarantine entries) already applied. */
  applied?: boolean;
}

export interface QuarantineItem {
  nId: number;
  hostId: string;
  row: Row;
}

const DAY = 86_400_000;
const APPS: [string, string, string][] = [
  ['Google Chrome', '131.0.6778.86', 'Google LLC'],
  ['Mozilla Firefox (x64 en-US)', '133.0', 'Mozilla'],
  ['Microsoft Edge', '131.0.2903.70', 'Microsoft Corporation'],
  ['Microsoft 365 Apps for enterprise - en-us', '16.0.18129.20116', 'Microsoft Corporation'],
  ['7-Zip 24.08 (x64)', '24.08', 'Igor Pavlov'],
  ['Notepad++ (64-bit x64)', '8.7.1', 'Notepad++ Team'],
  ['Adobe Acrobat Reader', '24.004.20220', 'Adobe'],
  ['Zoom Workplace', '6.2.11', 'Zoom Video Communications, Inc.'],
  ['Microsoft Teams', '24295.605.3225.8804', 'Microsoft Corporation'],
  ['Kaspersky Endpoint Security for Windows', '12.6.0.438', 'AO Kaspersky Lab'],
  ['Kaspersky Security Center Network Agent', '14.2.0.26967', 'AO Kaspersky Lab'],
  ['Python 3.12.7 (64-bit)', '3.12.7150.0', 'Python Software Foundation'],
  ['Git', '2.47.0', 'The Git Development Community'],
  ['Microsoft Visual C++ 2015-2022 Redistributable (x64)', '14.40.33816.0', 'Microsoft Corporation'],
  ['VLC media player', '3.0.21', 'VideoLAN'],
  ['PuTTY release 0.81 (64-bit)', '0.81.0.0', 'Simon Tatham'],
  ['WinSCP 6.3.5', '6.3.5', 'Martin Prikryl'],
  ['Microsoft SQL Server Management Studio - 20.2', '20.2.30.0', 'Microsoft Corporation'],
  ['Slack', '4.41.97', 'Slack Technologies Inc.'],
  ['TeamViewer', '15.59.5', 'TeamViewer'],
  ['AnyDesk', '8.1.0', 'AnyDesk Software GmbH'],
  ['Visual Studio Code', '1.95.3', 'Microsoft Corporation'],
];

/** Executables as deployed: name, folder (`%u` = the host's user), vendor, version, size in bytes. */
const EXES: [string, string, string, string, number][] = [
  ['chrome.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\', 'Google LLC', '131.0.6778.86', 3_195_416],
  ['firefox.exe', 'C:\\Program Files\\Mozilla Firefox\\', 'Mozilla Corporation', '133.0.0.8688', 681_040],
  [
    'msedge.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\',
    'Microsoft Corporation',
    '131.0.2903.70',
    4_127_264,
  ],
  [
    'WINWORD.EXE',
    'C:\\Program Files\\Microsoft Office\\root\\Office16\\',
    'Microsoft Corporation',
    '16.0.18129.20116',
    1_623_872,
  ],
  [
    'EXCEL.EXE',
    'C:\\Program Files\\Microsoft Office\\root\\Office16\\',
    'Microsoft Corporation',
    '16.0.18129.20116',
    66_245_464,
  ],
  [
    'OUTLOOK.EXE',
    'C:\\Program Files\\Microsoft Office\\root\\Office16\\',
    'Microsoft Corporation',
    '16.0.18129.20116',
    41_372_056,
  ],
  ['7zFM.exe', 'C:\\Program Files\\7-Zip\\', 'Igor Pavlov', '24.08.0.0', 1_056_256],
  ['notepad++.exe', 'C:\\Program Files\\Notepad++\\', 'Notepad++ Team', '8.7.1.0', 7_201_104],
  ['AcroRd32.exe', 'C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\', 'Adobe Inc.', '24.4.20220.0', 3_290_600],
  [
    'Zoom.exe',
    'C:\\Users\\%u\\AppData\\Roaming\\Zoom\\bin\\',
    'Zoom Video Communications, Inc.',
    '6.2.11.51079',
    482_256,
  ],
  [
    'ms-teams.exe',
    'C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\',
    'Microsoft Corporation',
    '24295.605.3225.8804',
    1_198_616,
  ],
  ['avp.exe', 'C:\\Program Files (x86)\\Kaspersky Lab\\KES.12.6.0\\', 'AO Kaspersky Lab', '12.6.0.438', 307_552],
  [
    'klnagent.exe',
    'C:\\Program Files (x86)\\Kaspersky Lab\\NetworkAgent\\',
    'AO Kaspersky Lab',
    '14.2.0.26967',
    512_904,
  ],
  ['python.exe', 'C:\\Program Files\\Python312\\', 'Python Software Foundation', '3.12.7150.1013', 103_192],
  ['git.exe', 'C:\\Program Files\\Git\\cmd\\', 'The Git Development Community', '2.47.0.1', 45_904],
  ['putty.exe', 'C:\\Program Files\\PuTTY\\', 'Simon Tatham', '0.81.0.0', 1_648_208],
  ['WinSCP.exe', 'C:\\Program Files (x86)\\WinSCP\\', 'Martin Prikryl', '6.3.5.0', 29_811_080],
  ['TeamViewer.exe', 'C:\\Program Files\\TeamViewer\\', 'TeamViewer Germany GmbH', '15.59.5.0', 61_458_344],
  ['AnyDesk.exe', 'C:\\Users\\%u\\Downloads\\', 'AnyDesk Software GmbH', '8.1.0.0', 5_248_016],
  [
    'Code.exe',
    'C:\\Users\\%u\\AppData\\Local\\Programs\\Microsoft VS Code\\',
    'Microsoft Corporation',
    '1.95.3.0',
    155_316_736,
  ],
  [
    'powershell.exe',
    'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\',
    'Microsoft Corporation',
    '10.0.19041.3996',
    455_680,
  ],
  ['cmd.exe', 'C:\\Windows\\System32\\', 'Microsoft Corporation', '10.0.19041.4355', 323_584],
  ['rundll32.exe', 'C:\\Windows\\System32\\', 'Microsoft Corporation', '10.0.19041.3636', 71_680],
  ['svchost.exe', 'C:\\Windows\\System32\\', 'Microsoft Corporation', '10.0.19041.4355', 55_320],
  ['invoice_2291.exe', 'C:\\Users\\%u\\Downloads\\', '', '', 843_776],
  ['update_helper.exe', 'C:\\ProgramData\\Temp\\', '', '', 262_144],
];

const PORTS: Record<string, [number, string, string][]> = {
  common: [
    [135, 'TCP', 'svchost.exe'],
    [445, 'TCP', 'System'],
    [15000, 'UDP', 'klnagent.exe'],
    [139, 'TCP', 'System'],
    [5040, 'TCP', 'svchost.exe'],
    [7680, 'TCP', 'svchost.exe'],
  ],
  server: [
    [3389, 'TCP', 'svchost.exe'],
    [443, 'TCP', 'w3wp.exe'],
    [80, 'TCP', 'w3wp.exe'],
    [1433, 'TCP', 'sqlservr.exe'],
    [5985, 'TCP', 'System'],
  ],
  dc: [
    [53, 'UDP', 'dns.exe'],
    [88, 'TCP', 'lsass.exe'],
    [389, 'TCP', 'lsass.exe'],
    [636, 'TCP', 'lsass.exe'],
  ],
  linux: [
    [22, 'TCP', 'sshd'],
    [15000, 'UDP', 'klnagent'],
    [111, 'TCP', 'rpcbind'],
    [443, 'TCP', 'nginx'],
  ],
};

export const TASK_STATE_BITS = {
  pending: '1',
  running: '2',
  completed: '4',
  warning: '8',
  failed: '16',
  scheduled: '32',
  paused: '64',
} as const;

export function ipToLong(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function longToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function sha(text: string, algo: 'sha256' | 'md5'): string {
  return createHash(algo).update(text).digest('hex');
}

export class KscData {
  private _groups?: SimGroup[];
  private _hosts?: SimHost[];
  private _hostById?: Map<string, SimHost>;
  private _hostByName?: Map<string, SimHost>;
  private _events?: KscEvents;
  private _users?: Row[];
  private _quarantine?: QuarantineItem[];
  private _tasks?: Map<string, SimTask>;
  private _exeAll?: Row[];
  private nextTaskId = 1000;
  private nextQuarantineId = 1;
  readonly eventCount: number;

  constructor(
    readonly seed: number,
    readonly scale: number,
    /** The instant the data set is generated around (its newest events are just before it). */
    readonly epochMs: number,
  ) {
    this.eventCount = Math.max(50, Math.round(50_000 * scale));
  }

  private rng(label: string): Random {
    return new Random((this.seed * 0x9e3779b1) ^ hashString(label));
  }

  get groups(): SimGroup[] {
    if (this._groups) return this._groups;
    const estate = buildEstate(this.seed, this.scale, this.epochMs);
    const groups: SimGroup[] = [];
    const created = new Date(this.epochMs - 900 * DAY);
    const add = (id: number, name: string, parentId: number | undefined, level: number, fullName: string) => {
      const row: Row = {
        id,
        name,
        ...(parentId === undefined ? {} : { parentId }),
        creationDate: created,
        lastUpdate: new Date(this.epochMs - 3 * DAY),
        autoRemovePeriod: 0,
        notifyPeriod: 0,
        KLGRP_HlfInherited: true,
        KLGRP_HlfForceChildren: false,
        KLGRP_HlfForced: false,
        grp_full_name: fullName,
        level,
      };
      groups.push({ id, name, parentId, row });
    };
    add(0, 'Managed devices', undefined, 0, 'Managed devices/');
    add(1, 'Unassigned devices', undefined, 0, 'Unassigned devices/');
    let id = 2;
    const tenantNames = ['', ...estate.tenants];
    const departments = [...new Set(estate.machines.map((m) => m.department))].sort();
    for (const tenant of tenantNames) {
      const tenantName = tenant || 'Head Office';
      const tenantId = id++;
      add(tenantId, tenantName, 0, 1, `Managed devices/${tenantName}/`);
      for (const dep of departments) add(id++, dep, tenantId, 2, `Managed devices/${tenantName}/${dep}/`);
    }
    this._groups = groups;
    return groups;
  }

  groupById(id: number): SimGroup | undefined {
    return (this._groupById ??= new Map(this.groups.map((g) => [g.id, g]))).get(id);
  }

  private _groupById?: Map<number, SimGroup>;

  /** The department group of a machine (tenant → department). */
  private groupFor(m: EstateMachine): SimGroup {
    const tenantName = m.tenant || 'Head Office';
    const tenant = this.groups.find((g) => g.parentId === 0 && g.name === tenantName)!;
    return this.groups.find((g) => g.parentId === tenant.id && g.name === m.department)!;
  }

  get hosts(): SimHost[] {
    if (this._hosts) return this._hosts;
    const estate = buildEstate(this.seed, this.scale, this.epochMs);
    const hosts: SimHost[] = [];
    for (const m of estate.machines) {
      if (!m.inKsc) continue;
      const r = this.rng(`host:${m.index}`);
      const id = r.uuid();
      const unassigned = r.chance(0.02);
      const group = unassigned ? this.groupById(1)! : this.groupFor(m);
      const online = m.online;
      const rtp = r.chance(0.93);
      const status = (online ? 0x1 : 0) | 0x2 | 0x4 | (online ? 0x8 : 0) | (rtp ? 0x10 : 0);
      // The estate's last-seen time: MDR's last_seen and KATA's last access say the same.
      const lastVisible = m.lastSeen;
      const windows = m.osFamily === 'Windows';
      const build = Number(/\d+\.\d+\.(\d+)/.exec(m.osVersion)?.[1] ?? 0);
      const row: Row = {
        KLHST_WKS_HOSTNAME: id,
        KLHST_WKS_DN: m.hostName,
        KLHST_WKS_FQDN: m.fqdn,
        KLHST_WKS_DNSNAME: m.hostName.toLowerCase(),
        KLHST_WKS_DNSDOMAIN: m.domain,
        KLHST_WKS_WINHOSTNAME: windows ? m.hostName.toUpperCase().slice(0, 15) : '',
        KLHST_WKS_WINDOMAIN: windows ? m.domain.split('.')[0]!.toUpperCase() : '',
        KLHST_INSTANCEID: r.uuid(),
        KLHST_WKS_GROUPID: group.id,
        KLHST_WKS_OS_NAME: m.osName,
        KLHST_WKS_OS_BUILD_NUMBER: build,
        KLHST_WKS_OS_RELEASE_ID: windows ? r.pick([1809, 2009, 2200]) : 0,
        KLHST_WKS_OSSP_VER_MAJOR: 0,
        KLHST_WKS_OSSP_VER_MINOR: 0,
        KLHST_WKS_CPU_ARCH: 2,
        KLHST_WKS_CTYPE: m.role === 'server' || m.role === 'domain-controller' ? 8 : 4,
        KLHST_WKS_PTYPE: windows ? 4 : m.osFamily === 'Linux' ? 32 : 64,
        KLHST_WKS_STATUS: status,
        KLHST_WKS_STATUS_ID: online ? (rtp ? 0 : 2) : 1,
        KLHST_WKS_RTP_STATE: rtp ? 5 : 2,
        KLHST_WKS_CREATED: new Date(m.firstSeen),
        KLHST_WKS_LAST_VISIBLE: new Date(lastVisible),
        KLHST_WKS_LAST_INFOUDATE: new Date(lastVisible - r.int(60, 7200) * 1000),
        KLHST_WKS_RTP_AV_BASES_TIME: new Date(this.epochMs - r.int(1, 72) * 3_600_000),
        KLHST_WKS_NAG_VERSION: r.pick(['14.0.0.4490', '14.2.0.26967', '15.0.0.12912']),
        KLHST_WKS_NAG_VER_ID: 14,
        KLHST_WKS_RTP_AV_VERSION: windows
          ? r.pick(['12.1.0.506', '12.6.0.438'])
          : m.osFamily === 'Linux'
            ? '12.1.0.1297'
            : '11.2.0.228',
        KLHST_WKS_COMMENT: '',
        KLHST_WKS_RBT_REQUIRED: r.chance(0.05),
        KLHST_WKS_RBT_REQUEST_REASON: 0,
        KLHST_WKS_OWNER_IS_CUSTOM: false,
        KLHST_WKS_ANTI_SPAM_STATUS: r.pick([0, 0, 0, 1, 3]),
        KLHST_WKS_DLP_STATUS: 0,
        KLHST_WKS_COLLAB_SRVS_STATUS: 0,
        KLHST_WKS_EMAIL_AV_STATUS: r.pick([0, 3, 3, 5]),
        KLHST_WKS_EDR_STATUS: r.pick([0, 3, 5, 5]),
        KLHST_WKS_IP_LONG: ipToLong(m.ipAddress),
        KLHST_WKS_CONNECT_IP_LONG: ipToLong(m.ipAddress),
        name: group.name,
      };
      hosts.push({ index: m.index, id, name: m.hostName, groupId: group.id, machine: m, row });
    }
    this._hosts = hosts;
    this._hostById = new Map(hosts.map((h) => [h.id, h]));
    this._hostByName = new Map(hosts.map((h) => [h.name.toLowerCase(), h]));
    return hosts;
  }

  /** Builds what every list reads now rather than on the first call. */
  prepare(): void {
    void this.hostRows;
    void this.eventStore;
  }

  /** Every host's row, in host order (one array, so its sort orders can be kept). */
  get hostRows(): Row[] {
    return (this._hostRows ??= this.hosts.map((h) => h.row));
  }

  private _hostRows?: Row[];

  hostById(id: string): SimHost | undefined {
    void this.hosts;
    return this._hostById!.get(id);
  }

  /** By GUID or, as the SOAR integration passes it, by display name. */
  hostByIdOrName(key: string): SimHost | undefined {
    void this.hosts;
    return this._hostById!.get(key) ?? this._hostByName!.get(key.toLowerCase());
  }

  /** Group rows with host/child counts (computed once). */
  groupRows(): Row[] {
    const counts = new Map<number, number>();
    for (const h of this.hosts) counts.set(h.groupId, (counts.get(h.groupId) ?? 0) + 1);
    return this.groups.map((g) => ({
      ...g.row,
      hostsNum: counts.get(g.id) ?? 0,
      KLGRP_CHLDHST_CNT: counts.get(g.id) ?? 0,
      childGroupsNum: this.groups.filter((c) => c.parentId === g.id).length,
      KLGRP_CHLDGRP_CNT: this.groups.filter((c) => c.parentId === g.id).length,
    }));
  }

  /** Ids of a group and its ancestors. */
  groupChain(id: number): number[] {
    const chain: number[] = [];
    let g = this.groupById(id);
    while (g) {
      chain.push(g.id);
      g = g.parentId === undefined ? undefined : this.groupById(g.parentId);
    }
    return chain;
  }

  // ------------------------------------------------------------ users

  private userCache = new Map<number, Row[]>();

  usersOf(host: SimHost): Row[] {
    const cached = this.userCache.get(host.index);
    if (cached) return cached;
    const rows = this.buildUsers(host);
    this.userCache.set(host.index, rows);
    return rows;
  }

  private buildUsers(host: SimHost): Row[] {
    const r = this.rng(`users:${host.index}`);
    const domainSam = (host.row.KLHST_WKS_WINDOMAIN as string) || host.machine.domain.split('.')[0]!.toUpperCase();
    const count = host.machine.role === 'server' || host.machine.role === 'domain-controller' ? 1 : r.int(1, 2);
    const rows: Row[] = [];
    for (let k = 0; k < count; k++) {
      // The first is the estate's user of the machine, the one MDR's incident texts name.
      const first = r.pick(FIRST_NAMES);
      const last = r.pick(LAST_NAMES);
      const own = host.machine.user;
      const sam = k === 0 ? own.sam : `${first[0]!.toLowerCase()}${last.toLowerCase()}`;
      const display = k === 0 ? own.displayName : `${first} ${last}`;
      const guid = r.uuid();
      rows.push({
        KLHSTUSER_ID: host.index * 4 + k + 1,
        KLHSTUSER_BINID: Buffer.from(guid.replace(/-/g, ''), 'hex'),
        KLHSTUSER_GUID: guid,
        KLHSTUSER_DN: display,
        KLHSTUSER_SAMNAME: sam,
        KLHSTUSER_PRINCIPAL: `${sam}@${host.machine.domain}`,
        KLHSTUSER_MAIL: `${sam}@${host.machine.domain}`,
        KLHSTUSER_PHONE: `+1 555 ${r.int(100, 999)} ${r.int(1000, 9999)}`,
        KLHSTUSER_SID: `S-1-5-21-${r.int(1e8, 9e8)}-${r.int(1e8, 9e8)}-${r.int(1e8, 9e8)}-${r.int(1000, 9999)}`,
        KLHSTUSER_DOMAIN_SAM: domainSam,
        KLHSTUSER_DOMAIN2000: host.machine.domain,
        KLHSTUSER_COMPANY: host.machine.tenant || 'Kaspersky Demo Corp',
        KLHSTUSER_DEPARTMENT: host.machine.department,
        KLHSTUSER_JOBTITLE: sam.startsWith('svc-')
          ? 'Service'
          : r.pick(['Analyst', 'Engineer', 'Manager', 'Accountant', 'Specialist']),
        // Search-only: matched by filters, never returned (stripped by the view).
        KLHSTUSER_LOGGEDIN_HOST: host.id,
      });
    }
    return rows;
  }

  get users(): Row[] {
    if (this._users) return this._users;
    const builtin: Row[] = ['Administrator', 'KLAdmins', 'KLOperators'].map((name, i) => ({
      KLHSTUSER_ID: 1_000_000 + i,
      KLHSTUSER_DN: name,
      KLHSTUSER_SAMNAME: name,
      KLHSTUSER_PRINCIPAL: `${name}@ksc`,
      KLHSTUSER_DOMAIN_SAM: 'KSC',
      KLHSTUSER_HOST: 'ksc.corp.kaspersky-demo.local',
    }));
    this._users = [...builtin, ...this.hosts.flatMap((h) => this.usersOf(h))];
    return this._users;
  }

  // ------------------------------------------------------------ per-host inventories

  applicationsOf(host: SimHost): Row[] {
    const r = this.rng(`apps:${host.index}`);
    if (host.machine.osFamily !== 'Windows') {
      return [
        {
          ProductID: `kesl-${host.index}`,
          DisplayName:
            host.machine.osFamily === 'Linux'
              ? 'Kaspersky Endpoint Security for Linux'
              : 'Kaspersky Endpoint Security for Mac',
          DisplayVersion: '12.1.0.1297',
          Publisher: 'AO Kaspersky Lab',
          InstallDate: '20250110',
          InstallDir: '/opt/kaspersky',
          LangId: 1033,
          bIsMsi: false,
        },
        {
          ProductID: `klnagent-${host.index}`,
          DisplayName: 'Kaspersky Security Center Network Agent',
          DisplayVersion: '14.2.0.26967',
          Publisher: 'AO Kaspersky Lab',
          InstallDate: '20250110',
          InstallDir: '/opt/kaspersky/klnagent64',
          LangId: 1033,
          bIsMsi: false,
        },
      ];
    }
    const picked = [...APPS.slice(9, 11), ...r.sample([...APPS.slice(0, 9), ...APPS.slice(11)], r.int(5, 14))];
    return picked.map(([name, version, publisher]) => ({
      ProductID: `{${this.rng(`app:${name}`).uuid().toUpperCase()}}`,
      DisplayName: name,
      DisplayVersion: version,
      Publisher: publisher,
      InstallDate: `2025${String(r.int(1, 12)).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}`,
      InstallDir: `C:\\Program Files\\${name.split(' ')[0]}\\`,
      ARPRegKey: `HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\${name}`,
      UninstallString: `"C:\\Program Files\\${name.split(' ')[0]}\\uninstall.exe"`,
      LangId: 1033,
      bIsMsi: r.chance(0.5),
      VapmBuild: new KscLong(0),
    }));
  }

  openPortsOf(host: SimHost): Row[] {
    const m = host.machine;
    const list =
      m.osFamily !== 'Windows'
        ? PORTS.linux!
        : m.role === 'domain-controller'
          ? [...PORTS.common!, ...PORTS.dc!, PORTS.server![0]!]
          : m.role === 'server'
            ? [...PORTS.common!, ...PORTS.server!]
            : PORTS.common!;
    const r = this.rng(`ports:${host.index}`);
    return list.map(([port, proto, proc]) => ({
      strHostName: host.id,
      nPort: port,
      strProtocol: proto,
      strProcessName: proc,
      nPid: r.int(4, 12000),
      strLocalAddress: proto === 'UDP' ? '0.0.0.0' : m.ipAddress,
    }));
  }

  exeFilesOf(host: SimHost): Row[] {
    if (host.machine.osFamily !== 'Windows') return [];
    const r = this.rng(`exe:${host.index}`);
    const picked = [...EXES.slice(20, 24), ...r.sample([...EXES.slice(0, 20), ...EXES.slice(24)], r.int(8, 16))];
    const user = host.machine.user.sam;
    return picked.map(([name, folder, vendor, version, size], k) => {
      const fileId = EXES.findIndex((e) => e[0] === name) + 1;
      const dir = folder.replace('%u', user);
      return {
        HST_FILE_ID: new KscLong(host.index * 100 + k + 1),
        FILE_ID: new KscLong(fileId),
        strHostName: host.id,
        FILE_NAME: name,
        FILE_PATH: `${dir}${name}`,
        SHA256: sha(`${name}:${version}`, 'sha256'),
        MD5: sha(`${name}:${version}`, 'md5'),
        // The same build is the same file everywhere: one size and hash per name and version.
        FILE_SIZE: new KscLong(size),
        FILE_VERSION: version,
        FILE_VENDOR: vendor,
        PRODUCT_NAME: vendor ? name.replace(/\.exe$/i, '') : '',
        FILE_CATEGORY: vendor ? 'Trusted' : 'Unknown',
        FIRST_SEEN: new Date(this.epochMs - r.int(10, 400) * DAY),
        LAST_RUN: new Date(this.epochMs - r.int(0, 30 * 24) * 3_600_000),
      };
    });
  }

  get exeFiles(): Row[] {
    this._exeAll ??= this.hosts.flatMap((h) => this.exeFilesOf(h));
    return this._exeAll;
  }

  // ------------------------------------------------------------ quarantine (mutable)

  get quarantine(): QuarantineItem[] {
    if (this._quarantine) return this._quarantine;
    const items: QuarantineItem[] = [];
    for (const host of this.hosts) {
      const r = this.rng(`quarantine:${host.index}`);
      if (host.machine.osFamily !== 'Windows' || !r.chance(0.08)) continue;
      const user = (this.usersOf(host)[0]?.KLHSTUSER_SAMNAME as string) ?? 'user';
      for (let k = r.int(1, 3); k > 0; k--)
        items.push(
          this.quarantineItem(
            host,
            r.pick(SUSPICIOUS).replace('%u', user),
            r.pick(THREATS),
            new Date(this.epochMs - r.int(1, 60) * DAY),
          ),
        );
    }
    this._quarantine = items;
    return items;
  }

  quarantineItem(host: SimHost, path: string, threat: string, when: Date): QuarantineItem {
    const nId = this.nextQuarantineId++;
    return {
      nId,
      hostId: host.id,
      row: {
        nId,
        strHostName: host.id,
        strHostDisplayName: host.name,
        ObjName: path,
        szDescription: threat,
        strId: sha(`${host.id}:${path}:${nId}`, 'md5').slice(0, 16),
        nSize: new KscLong(hashString(path) % 5_000_000),
        tmRegistered: when,
        nStatus: 1,
      },
    };
  }

  // ------------------------------------------------------------ tasks (mutable)

  get tasks(): Map<string, SimTask> {
    if (this._tasks) return this._tasks;
    const tasks = new Map<string, SimTask>();
    let id = 100;
    const hostsIn = (groupId: number) => this.hosts.filter((h) => this.groupChain(h.groupId).includes(groupId));
    const created = new Date(this.epochMs - 200 * DAY);
    for (const g of this.groups.filter((x) => x.parentId === 0 || x.id === 0)) {
      const defs: [string, string, TaskKind][] =
        g.id === 0
          ? [
              ['Install application remotely', 'KLNAG_TASK_REMOTE_INSTALL', 'other'],
              ['Find vulnerabilities and required updates', 'KLSRV_VULNSCAN', 'vulnscan'],
            ]
          : [
              ['Virus scan', 'ODS', 'scan'],
              ['Update', 'Updater', 'update'],
            ];
      for (const [displayName, typeName, kind] of defs) {
        const taskId = String(id++);
        const n = hostsIn(g.id).length;
        const r = this.rng(`task:${taskId}`);
        const failed = Math.floor(n * r.next() * 0.05);
        const pending = Math.floor(n * r.next() * 0.15);
        tasks.set(taskId, {
          id: taskId,
          displayName: g.id === 0 ? displayName : `${displayName} (${g.name})`,
          typeName,
          product: typeName.startsWith('KL') ? '1093' : 'KES',
          version: typeName.startsWith('KL') ? '1.0.0.0' : '11.0.0.0',
          kind,
          created,
          groupId: g.id,
          hostIds: [],
          settings: {
            TASK_ADDITIONAL_PARAMS:
              kind === 'scan'
                ? {
                    ScanSettings: {
                      Action: 'Disinfect',
                      ScanArchives: false,
                      ScanScope: ['Memory', 'StartupObjects', 'SystemPartition'],
                    },
                  }
                : {},
          },
          run: { startedAt: this.epochMs - 2 * DAY, durationMs: 3_600_000 },
          fixedStats: {
            [TASK_STATE_BITS.completed]: n - failed - pending,
            [TASK_STATE_BITS.failed]: failed,
            [TASK_STATE_BITS.pending]: pending,
          },
        });
      }
    }
    this._tasks = tasks;
    return tasks;
  }

  addTask(task: Omit<SimTask, 'id'>): SimTask {
    const full = { ...task, id: String(this.nextTaskId++) };
    this.tasks.set(full.id, full);
    return full;
  }

  /** Hosts a task targets: its explicit list, else its group subtree. */
  taskHosts(task: SimTask): SimHost[] {
    if (task.hostIds.length) return task.hostIds.map((id) => this.hostById(id)).filter((h): h is SimHost => !!h);
    if (task.groupId === undefined) return [];
    return this.hosts.filter((h) => this.groupChain(h.groupId).includes(task.groupId!));
  }

  // ------------------------------------------------------------ events (50,000 per unit of scale)

  /** The events database, built on first use (typed arrays; rows are drawn as they are read). */
  get eventStore(): KscEvents {
    return (this._events ??= new KscEvents(
      {
        seed: this.seed,
        epochMs: this.epochMs,
        hosts: this.hosts,
        groupById: (id) => this.groupById(id),
        userOf: (host) => `${host.machine.user.netbiosDomain}\\${host.machine.user.sam}`,
      },
      this.eventCount,
    ));
  }

  /**
   * A host reports a new event at `at` (the estate's activity): newest first in the events
   * database, with the next event id. Threats and attacks, the events worth a live update, come
   * more often than in the history.
   */
  addEvent(at: Date): Row {
    const store = this.eventStore;
    const r = (this.liveEvents ??= this.rng('live-events'));
    const host = r.pick(this.hosts);
    const kind = r.pick(EVENT_KINDS.filter((k) => k.severity >= 3 || r.chance(0.2)));
    const group = this.groupById(host.groupId)!;
    const threat = r.pick(THREATS);
    const row: Row = {
      ...eventRow(host, kind, group, store.nextEventId(), at.getTime()),
      GNRL_EA_DESCRIPTION: kind.severity >= 4 ? `${kind.name}: ${threat}` : kind.name,
      ...(kind.severity >= 4 ? { GNRL_EA_PARAM_5: threat } : {}),
    };
    store.addLive(row);
    this._eventRows?.unshift(row);
    return row;
  }

  private liveEvents?: Random;

  /** Every event as a row, newest first (tests: small data sets; the routes read `eventStore`). */
  get events(): Row[] {
    const store = this.eventStore;
    return (this._eventRows ??= Array.from({ length: store.size }, (_, k) => store.at(k)));
  }

  private _eventRows?: Row[];
}
