import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { stringify as toYaml } from 'yaml';

import type { Config, SimulatorSettings } from '../config/settings';
import type { TenantMapping } from '../domain/tenants';
import { TENANTS } from '../upstreams/sim/estate';
import { startKataSimulator } from '../upstreams/kata/simulator';
import { startKscSimulator } from '../upstreams/ksc/simulator';
import { startMdrSimulator } from '../upstreams/mdr/simulator';
import { writePrivateFile } from '../config/state-dir';

type MdrSimulator = Awaited<ReturnType<typeof startMdrSimulator>>;
type KscSimulator = Awaited<ReturnType<typeof startKscSimulator>>;
type KataSimulator = Awaited<ReturnType<typeof startKataSimulator>>;

/** The content of `$STATE_DIR/simulators.json` (docs/operations.md). */
export interface SimulatorsJson {
  mdr: MdrSimulator['info'];
  ksc: KscSimulator['info'];
  kata: KataSimulator['info'];
}

/** Activity of the estate in `npm start` (demo mode) and `npm run simulate` unless SIM_ACTIVITY_PER_MINUTE says. */
export const DEMO_ACTIVITY_PER_MINUTE = 6;

/** A stand-in Kaspersky estate: the three simulators over one shared set of machines. */
export interface EstateSimulators {
  mdr: MdrSimulator;
  ksc: KscSimulator;
  kata: KataSimulator;
  info: SimulatorsJson;
  close(): Promise<void>;
}

export interface StartSimulatorsOptions {
  host?: string;
  /** Use the SIM_*_PORT settings (npm run simulate) rather than any free port. */
  fixedPorts?: boolean;
  /**
   * Build the whole data set before answering (demo mode, `npm run simulate`): at SIM_SCALE=50 the
   * first call would otherwise wait seconds for it. Tests leave it off: most touch a fraction.
   */
  prepare?: boolean;
}

export async function startSimulators(
  settings: SimulatorSettings,
  stateDir: string,
  { host = '127.0.0.1', fixedPorts = false, prepare = false }: StartSimulatorsOptions = {},
): Promise<EstateSimulators> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const startedAtMs = Date.now();
  const common = {
    host,
    seed: settings.seed,
    scale: settings.scale,
    // One instant and one clock for all three, so one machine's times agree across them.
    epochMs: settings.epochMs ?? startedAtMs,
    startedAtMs,
    latencyMs: settings.latencyMs,
    faultRate: settings.faultRate,
    activityPerMinute: settings.activityPerMinute ?? 0,
    stateDir,
  };
  const [mdr, ksc, kata] = await Promise.all([
    startMdrSimulator({
      ...common,
      endpoints: settings.mdrEndpoints,
      port: fixedPorts ? settings.mdrPort : 0,
      accessTokenTtlS: settings.mdrAccessTokenTtlS,
    }),
    startKscSimulator({ ...common, endpoints: settings.kscEndpoints, port: fixedPorts ? settings.kscPort : 0 }),
    startKataSimulator({
      ...common,
      endpoints: settings.kataEndpoints,
      port: fixedPorts ? settings.kataPort : 0,
      autoApprove: true,
    }),
  ]);
  if (prepare) {
    mdr.routes.prepare();
    ksc.data.prepare();
  }
  const info: SimulatorsJson = { mdr: mdr.info, ksc: ksc.info, kata: kata.info };
  return {
    mdr,
    ksc,
    kata,
    info,
    close: async () => {
      await Promise.allSettled([mdr.close(), ksc.close(), kata.close()]);
    },
  };
}

/** Writes simulators.json atomically, readable by the owner only (it holds credentials). */
export function writeSimulatorsJson(stateDir: string, info: SimulatorsJson): string {
  const file = path.join(stateDir, 'simulators.json');
  writePrivateFile(file, `${JSON.stringify(info, null, 2)}\n`);
  return file;
}

/**
 * The tenant mapping that fits the simulated estate: each MDR tenant owns the KSC group named after
 * it under "Managed devices" (MDR's root tenant: "Head Office"), and with it the KATA sensors on
 * those hosts.
 */
export function estateTenants(): TenantMapping[] {
  return [
    { name: '', kscGroups: ['Managed devices/Head Office'], kataSensors: [] },
    ...TENANTS.map((name) => ({ name, kscGroups: [`Managed devices/${name}`], kataSensors: [] })),
  ];
}

/** The estate's mapping as a TENANTS_FILE (YAML), readable by the owner only. */
export function writeTenantsFile(stateDir: string): string {
  const file = path.join(stateDir, 'tenants.yaml');
  const tenants = estateTenants().map((t) => ({ name: t.name, ksc: { groups: t.kscGroups } }));
  writePrivateFile(file, toYaml({ tenants }));
  return file;
}

/** The gateway's upstream settings pointing at running simulators (demo mode). */
export function configForSimulators(config: Readonly<Config>, info: SimulatorsJson): Readonly<Config> {
  const admin =
    info.mdr.connections.find((c) => c.role === 'administrator' && c.tenants.length === 0) ?? info.mdr.connections[0]!;
  return Object.freeze({
    ...config,
    tenants: config.tenants ?? estateTenants(),
    mdr: { url: info.mdr.url, clientId: info.mdr.clientId, refreshToken: admin.refreshToken },
    ksc: {
      url: info.ksc.url,
      username: info.ksc.username,
      password: info.ksc.password,
      internalUser: true,
      vserver: '',
      ca: readFileSync(info.ksc.caFile),
      maxConcurrency: 4,
    },
    kata: {
      url: info.kata.url,
      externalSystemId: info.kata.externalSystemId,
      cert: readFileSync(info.kata.certFile),
      key: readFileSync(info.kata.keyFile),
      ca: readFileSync(info.kata.caFile),
    },
  });
}
