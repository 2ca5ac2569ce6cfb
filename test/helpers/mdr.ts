import type { MdrSettings } from '../../src/config/settings';
import { startMdrSimulator } from '../../src/upstreams/mdr/simulator';
import type { MdrRole, MdrSimulator, MdrSimulatorOptions } from '../../src/upstreams/mdr/simulator';

import { TEST_EPOCH_MS } from './epoch';

export type { MdrSimulator };

/** A small MDR simulator (scale 0.02: 200 incidents) so walks stay fast. */
export function startSmallMdr(options: MdrSimulatorOptions = {}): Promise<MdrSimulator> {
  return startMdrSimulator({ scale: 0.02, seed: 7, epochMs: TEST_EPOCH_MS, ...options });
}

/** Gateway settings for one of the simulator's API connections. */
export function mdrSettings(sim: MdrSimulator, role: MdrRole = 'administrator', scoped = false): MdrSettings {
  const connection = sim.info.connections.find((c) => c.role === role && c.tenants.length > 0 === scoped)!;
  return { url: sim.info.url, clientId: sim.info.clientId, refreshToken: connection.refreshToken };
}
