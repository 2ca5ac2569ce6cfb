import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { writePrivateFile } from '../../../config/state-dir';
import { Random } from '../../sim/random';
import { SimulatorServer } from '../../sim/simulator-server';
import type { SimulatorOptions } from '../../sim/simulator-server';
import { createCertificateAuthority, issueCertificate } from '../../kata/simulator/certificates';
import { KscData } from './data';
import { KscRoutes } from './server';

export { KSC_API_PREFIX, KSC_TASK_TYPES } from './server';

export interface KscSimulatorOptions extends SimulatorOptions {
  /** Where the CA and server certificate are written (or reused). @default a temporary directory */
  stateDir?: string;
  /** A server certificate to use instead of generating one (PEM). */
  tls?: { cert: string; key: string; ca?: string };
  /** Idle time after which sessions expire. @default 1_800_000 (30 min) */
  sessionIdleMs?: number;
  /** Simulated time a started task takes across its hosts. @default 60_000 */
  taskDurationMs?: number;
}

/** `simulators.json`'s `ksc` entry (docs/operations.md). */
export interface KscSimulatorInfo {
  url: string;
  username: string;
  password: string;
  caFile: string;
}

export interface KscSimulator {
  url: string;
  info: KscSimulatorInfo;
  /** A second account: reads work, writes answer `Access denied.` */
  viewer: { username: string; password: string };
  server: SimulatorServer;
  routes: KscRoutes;
  data: KscData;
  /** Test hooks: end every session now; move simulated time on (task progress, idle expiry). */
  expireSessions(): void;
  advance(ms: number): void;
  close(): Promise<void>;
}

const FILES = { ca: 'ksc-ca.pem', cert: 'ksc-server.pem', key: 'ksc-server-key.pem' };

async function serverIdentity(
  dir: string,
  given?: KscSimulatorOptions['tls'],
): Promise<{ cert: string; key: string; caFile: string }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caFile = path.join(dir, FILES.ca);
  if (given) {
    writePrivateFile(caFile, given.ca ?? given.cert);
    return { cert: given.cert, key: given.key, caFile };
  }
  const certFile = path.join(dir, FILES.cert);
  const keyFile = path.join(dir, FILES.key);
  if (existsSync(caFile) && existsSync(certFile) && existsSync(keyFile)) {
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), caFile };
  }
  const ca = await createCertificateAuthority('KSC Simulator CA');
  const server = await issueCertificate(ca, {
    commonName: 'ksc-simulator',
    usage: 'server',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1', '::1'],
  });
  writePrivateFile(caFile, ca.cert);
  writePrivateFile(certFile, server.cert);
  writePrivateFile(keyFile, server.key);
  return { cert: server.cert, key: server.key, caFile };
}

/** The KSC OpenAPI simulator over HTTPS (see README.md for every behaviour it had to choose). */
export async function startKscSimulator(options: KscSimulatorOptions = {}): Promise<KscSimulator> {
  const { seed = 1, scale = 1, epochMs = Date.now() } = options;
  const stateDir = options.stateDir ?? mkdtempSync(path.join(tmpdir(), 'ksc-sim-'));
  const identity = await serverIdentity(stateDir, options.tls);
  const rng = new Random(seed).fork('ksc-accounts');
  const username = 'ksc-api';
  const password = `Ksc-${rng.hex(20)}`;
  const viewer = { username: 'ksc-viewer', password: `View-${rng.hex(20)}` };
  const data = new KscData(seed, scale, epochMs);
  const routes = new KscRoutes({
    data,
    username,
    password,
    viewer,
    startedAtMs: options.startedAtMs,
    sessionIdleMs: options.sessionIdleMs,
    taskDurationMs: options.taskDurationMs,
  });
  const server = new SimulatorServer(routes, {
    ...options,
    name: 'ksc',
    tls: { cert: identity.cert, key: identity.key },
  });
  const url = await server.listen();
  return {
    url,
    info: { url, username, password, caFile: identity.caFile },
    viewer,
    server,
    routes,
    data,
    expireSessions: () => routes.expireSessions(),
    advance: (ms) => routes.advance(ms),
    close: () => server.close(),
  };
}
