import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { estateClock } from '../../sim/estate';
import { SimulatorServer } from '../../sim/simulator-server';
import type { SimulatorOptions } from '../../sim/simulator-server';
import { ensureKataCertificates } from './certificates';
import type { KataCertificates } from './certificates';
import { buildSensors, defaultExternalSystemId } from './data';
import { KataRoutes } from './server';
import type { TaskTiming } from './server';

export { KATA_PATH_PREFIX } from './server';

export interface KataSimulatorOptions extends SimulatorOptions, TaskTiming {
  /** Where the CA, server and client certificates are created or reused. @default a temporary directory */
  stateDir?: string;
  /** Approve every new (external system id, certificate) pair on first use (demo mode). @default false */
  autoApprove?: boolean;
  /** Approve the default external system and its certificate up front. @default true */
  preApproveDefault?: boolean;
  /** The clock tasks advance by. @default the estate's clock (its epoch, moving on from the start) */
  now?: () => number;
}

/** `simulators.json`'s `kata` entry (docs/operations.md). */
export interface KataSimulatorInfo {
  /** The Central Node's origin; response_api lives under `/kata/response_api/v1/`. */
  url: string;
  externalSystemId: string;
  certFile: string;
  keyFile: string;
  caFile: string;
}

export interface KataSimulator {
  url: string;
  info: KataSimulatorInfo;
  server: SimulatorServer;
  /** Approvals, tasks and the clock (tests drive them). */
  routes: KataRoutes;
  certificates: KataCertificates;
  close(): Promise<void>;
}

export async function startKataSimulator(options: KataSimulatorOptions = {}): Promise<KataSimulator> {
  const { seed = 1, scale = 1, epochMs = Date.now(), autoApprove = false, preApproveDefault = true } = options;
  const stateDir = options.stateDir ?? mkdtempSync(path.join(tmpdir(), 'kata-sim-'));
  const certificates = await ensureKataCertificates(stateDir);
  const externalSystemId = defaultExternalSystemId(seed);
  const routes = new KataRoutes({
    ...options,
    now: options.now ?? estateClock(epochMs, options.startedAtMs),
    seedSensors: buildSensors(seed, scale, epochMs),
    autoApprove,
  });
  if (preApproveDefault) routes.approveClient(externalSystemId, certificates.client.cert);

  const server = new SimulatorServer(routes, {
    ...options,
    name: 'kata',
    // Any client certificate is accepted at the TLS layer (KATA takes self-signed ones); whether
    // it is the approved one for the id in the path is the route's decision.
    tls: { cert: certificates.server.cert, key: certificates.server.key, requestCert: true },
  });
  const url = await server.listen();
  return {
    url,
    info: {
      url,
      externalSystemId,
      certFile: certificates.clientCertFile,
      keyFile: certificates.clientKeyFile,
      caFile: certificates.caFile,
    },
    server,
    routes,
    certificates,
    close: () => server.close(),
  };
}
