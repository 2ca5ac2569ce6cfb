import { Random } from './random';

/**
 * The imaginary company behind all three simulators: one list of machines that MDR sees as assets,
 * KSC manages as hosts and KATA watches through sensors. Sharing it is what makes cross-source joins
 * (Asset.host, Host.asset, Host.sensor) find each other.
 */
export interface EstateMachine {
  /** Position in the estate; stable for a seed and scale. */
  index: number;
  hostName: string;
  domain: string;
  fqdn: string;
  osFamily: 'Windows' | 'Linux' | 'macOS';
  osName: string;
  osVersion: string;
  ipAddress: string;
  macAddress: string;
  /** '' is the MDR root tenant (no tenant). */
  tenant: string;
  /** Department code used in names and KSC groups. */
  department: string;
  role: 'workstation' | 'laptop' | 'server' | 'domain-controller';
  inMdr: boolean;
  inKsc: boolean;
  hasSensor: boolean;
  /** Epoch ms the machine was first seen. */
  firstSeen: number;
  /** Whether its agent reports now: last seen minutes ago, else days ago. */
  online: boolean;
  /** Epoch ms the machine was last seen: MDR's last_seen, KSC's last visible time, KATA's last access. */
  lastSeen: number;
  /** The person (or service account) who works on it: KSC's user of the host, MDR's user in incident texts. */
  user: EstateUser;
}

export interface EstateUser {
  /** sAMAccountName: `aivanova`, or `svc-fin` on servers. */
  sam: string;
  displayName: string;
  /** NetBIOS domain: `NORTHWIND`. */
  netbiosDomain: string;
}

export interface Estate {
  seed: number;
  scale: number;
  /**
   * The instant the data set is generated around (SIM_EPOCH, else the start): its newest incidents,
   * events and last-seen times lie just before it. A seed, scale and epoch always yield the same data.
   */
  epochMs: number;
  tenants: readonly string[];
  machines: readonly EstateMachine[];
  /** Positions in `machines` per tenant ('' = the MDR root tenant), in estate order. */
  byTenant: ReadonlyMap<string, readonly number[]>;
}

export const TENANTS = ['Northwind Retail', 'Contoso Energy', 'Fabrikam Health'] as const;
const TENANT_DOMAINS: Record<string, string> = {
  '': 'corp.kaspersky-demo.local',
  'Northwind Retail': 'northwind.local',
  'Contoso Energy': 'contoso-energy.local',
  'Fabrikam Health': 'fabrikam.health',
};
const DEPARTMENTS = ['FIN', 'HR', 'ENG', 'SALES', 'OPS', 'IT', 'LEGAL', 'MKT', 'RND', 'SOC'];

const WINDOWS_CLIENT = [
  ['Microsoft Windows 10 Enterprise', '10.0.19045'],
  ['Microsoft Windows 11 Enterprise', '10.0.22631'],
  ['Microsoft Windows 11 Pro', '10.0.26100'],
] as const;
const WINDOWS_SERVER = [
  ['Microsoft Windows Server 2016 Standard', '10.0.14393'],
  ['Microsoft Windows Server 2019 Datacenter', '10.0.17763'],
  ['Microsoft Windows Server 2022 Standard', '10.0.20348'],
] as const;
const LINUX = [
  ['Ubuntu 22.04.4 LTS', '5.15.0-105-generic'],
  ['Red Hat Enterprise Linux 9.3', '5.14.0-362.el9'],
  ['Astra Linux Special Edition 1.7', '5.15.0-70-generic'],
] as const;
const MAC = [['macOS Sonoma 14.5', '23F79']] as const;

export const FIRST_NAMES = [
  'Anna',
  'Boris',
  'Chen',
  'Daria',
  'Elena',
  'Farid',
  'Grace',
  'Hugo',
  'Irina',
  'Jonas',
  'Kate',
  'Leo',
  'Maria',
  'Nikolai',
  'Olga',
  'Pavel',
  'Quinn',
  'Ravi',
  'Sofia',
  'Tomas',
];
export const LAST_NAMES = [
  'Ivanova',
  'Smith',
  'Novak',
  'Garcia',
  'Kowalski',
  'Petrov',
  'Tanaka',
  'Muller',
  'Rossi',
  'Dubois',
  'Larsen',
  'Silva',
  'Cohen',
  'Nguyen',
  'Okafor',
];

export const DAY_MS = 86_400_000;

/** One estate per (seed, scale, epoch) in a process: the three simulators of a start share it. */
const cache = new Map<string, Estate>();

export function buildEstate(seed = 1, scale = 1, epochMs = Date.now()): Estate {
  const key = `${seed}:${scale}:${epochMs}`;
  const cached = cache.get(key);
  if (cached) return cached;

  const rng = new Random(seed).fork('estate');
  const total = Math.max(12, Math.round(2400 * scale));
  const mdrOnly = Math.round(total * 0.1);
  const kscOnly = Math.round(total * 0.1);
  const used = new Set<string>();
  const machines: EstateMachine[] = [];
  const byTenant = new Map<string, number[]>();

  for (let index = 0; index < total; index++) {
    const tenant = rng.chance(0.25) ? '' : rng.pick(TENANTS);
    const department = rng.pick(DEPARTMENTS);
    const r = rng.next();
    const role: EstateMachine['role'] =
      r < 0.02 ? 'domain-controller' : r < 0.14 ? 'server' : r < 0.55 ? 'laptop' : 'workstation';
    const osFamily: EstateMachine['osFamily'] =
      role === 'workstation' || role === 'laptop'
        ? rng.chance(0.06)
          ? 'macOS'
          : rng.chance(0.04)
            ? 'Linux'
            : 'Windows'
        : role === 'server' && rng.chance(0.3)
          ? 'Linux'
          : 'Windows';
    const [osName, osVersion] =
      osFamily === 'macOS'
        ? rng.pick(MAC)
        : osFamily === 'Linux'
          ? rng.pick(LINUX)
          : role === 'workstation' || role === 'laptop'
            ? rng.pick(WINDOWS_CLIENT)
            : rng.pick(WINDOWS_SERVER);
    const prefix = { 'domain-controller': 'DC', server: 'SRV', laptop: 'LT', workstation: 'WS' }[role];
    let hostName =
      role === 'domain-controller'
        ? `${prefix}-${department}-${rng.int(1, 99).toString().padStart(2, '0')}`
        : `${prefix}-${department}-${rng.int(1, 9999).toString().padStart(4, '0')}`;
    // Large scales exhaust the short name space; the index keeps names unique without looping.
    if (used.has(hostName)) hostName = `${hostName}-${index}`;
    used.add(hostName);
    const domain = TENANT_DOMAINS[tenant]!;
    const inMdr = index >= kscOnly;
    const inKsc = index < total - mdrOnly;
    const online = rng.chance(0.72);
    // Whole seconds, as KSC keeps times: the three sources then agree to the millisecond.
    const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;
    const firstSeen = seconds(epochMs - rng.int(30, 900) * DAY_MS - rng.int(0, 86_399_999));
    const lastSeen = seconds(
      online ? epochMs - rng.int(0, 900) * 1000 : epochMs - rng.int(1, 40) * DAY_MS - rng.int(0, 86_399) * 1000,
    );
    const service = role === 'server' || role === 'domain-controller';
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const sam = service ? `svc-${department.toLowerCase()}` : `${first[0]!.toLowerCase()}${last.toLowerCase()}`;
    const user: EstateUser = {
      sam,
      displayName: service ? `Service account ${department}` : `${first} ${last}`,
      netbiosDomain: domain.split('.')[0]!.toUpperCase(),
    };
    let members = byTenant.get(tenant);
    if (!members) byTenant.set(tenant, (members = []));
    members.push(index);
    machines.push({
      index,
      hostName,
      domain,
      fqdn: `${hostName.toLowerCase()}.${domain}`,
      osFamily,
      osName,
      osVersion,
      ipAddress: `10.${rng.int(0, 40)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
      macAddress: Array.from({ length: 6 }, () => rng.hex(2))
        .join(':')
        .toUpperCase(),
      tenant,
      department,
      role,
      inMdr,
      inKsc,
      hasSensor: inKsc && osFamily !== 'macOS' && rng.chance(0.4),
      firstSeen,
      online,
      lastSeen,
      user,
    });
  }

  const estate: Estate = { seed, scale, epochMs, tenants: TENANTS, machines, byTenant };
  // Each start on the wall clock is an estate of its own: keep only the latest few.
  if (cache.size >= 4) cache.delete(cache.keys().next().value!);
  cache.set(key, estate);
  return estate;
}

/**
 * The estate's clock: it reads `epochMs` at the wall-clock instant `startedAtMs` and moves on with
 * the wall clock. Simulators given the same pair keep the same time.
 */
export function estateClock(epochMs: number, startedAtMs = Date.now()): () => number {
  return () => epochMs + (Date.now() - startedAtMs);
}
