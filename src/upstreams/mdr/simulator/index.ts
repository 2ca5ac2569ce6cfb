import { estateClock } from '../../sim/estate';
import { SimulatorServer } from '../../sim/simulator-server';
import type { SimulatorOptions, TlsIdentity } from '../../sim/simulator-server';
import type * as wire from '../wire';
import { defaultClientId } from './data';
import { MdrRoutes } from './server';
import type { MdrConnection, MdrRole } from './server';

export type { MdrConnection, MdrRole } from './server';

export interface MdrSimulatorOptions extends SimulatorOptions {
  /** Unused (MDR keeps nothing on disk); accepted so every simulator takes the same options. */
  stateDir?: string;
  /** Access-token lifetime (SIM_MDR_ACCESS_TOKEN_TTL_S). @default 3600 */
  accessTokenTtlS?: number;
  /** Serve HTTPS with this identity. @default plain HTTP */
  tls?: TlsIdentity;
  /** The token clock (expiry): real time, as clients check `exp` against their own. @default Date.now */
  now?: () => number;
  /** Status for a bad or expired access token (README.md). @default 401 */
  expiredTokenStatus?: 401 | 403;
}

/** `simulators.json`'s `mdr` entry (docs/operations.md). */
export interface MdrSimulatorInfo {
  /** Up to and including `/api/v1`. */
  url: string;
  clientId: string;
  connections: { name: string; role: MdrRole; tenants: string[]; refreshToken: string }[];
}

export interface MdrSimulator {
  url: string;
  info: MdrSimulatorInfo;
  server: SimulatorServer;
  routes: MdrRoutes;
  /** Adds an incident that sorts after every existing one (a new incident arriving mid-walk). */
  createIncident(overrides?: Partial<wire.Incident>): wire.Incident;
  /** A fresh console-made refresh token for the named connection. */
  issueRefreshToken(connectionName: string): Promise<string>;
  /** Invalidates every access token issued so far (drives expiry without waiting). */
  expireAccessTokens(): void;
  close(): Promise<void>;
}

/** One API connection per role, plus one scoped to a single tenant (docs/operations.md). */
export const MDR_CONNECTIONS: readonly MdrConnection[] = [
  { name: 'Gateway administrator', role: 'administrator', tenants: [] },
  { name: 'Gateway senior officer', role: 'senior_security_officer', tenants: [] },
  { name: 'Gateway security officer', role: 'security_officer', tenants: [] },
  { name: 'Northwind administrator', role: 'administrator', tenants: ['Northwind Retail'] },
];

export async function startMdrSimulator(options: MdrSimulatorOptions = {}): Promise<MdrSimulator> {
  const { seed = 1, scale = 1, epochMs = Date.now() } = options;
  const clientId = defaultClientId(seed);
  const connections = MDR_CONNECTIONS.map((c) => ({ ...c, tenants: [...c.tenants] }));
  const routes = new MdrRoutes({
    seed,
    scale,
    epochMs,
    dataNow: estateClock(epochMs, options.startedAtMs),
    clientId,
    connections,
    accessTokenTtlS: options.accessTokenTtlS,
    now: options.now,
    expiredTokenStatus: options.expiredTokenStatus,
  });
  const server = new SimulatorServer(routes, { ...options, name: 'mdr', tls: options.tls });
  const origin = await server.listen();
  const url = `${origin}/api/v1`;
  const withTokens = await Promise.all(
    connections.map(async (c) => ({ ...c, refreshToken: await routes.issueRefreshToken(c.name) })),
  );
  return {
    url,
    info: { url, clientId, connections: withTokens },
    server,
    routes,
    createIncident: (overrides) => routes.createIncident(overrides),
    issueRefreshToken: (name) => routes.issueRefreshToken(name),
    expireAccessTokens: () => routes.expireAccessTokens(),
    close: () => server.close(),
  };
}
