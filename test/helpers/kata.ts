import { readFileSync } from 'node:fs';

import type { KataSettings } from '../../src/config/settings';
import type { KataSimulator } from '../../src/upstreams/kata/simulator';

/** Gateway settings pointing at a running KATA simulator with the client certificate it issued. */
export function kataSettings(sim: KataSimulator, overrides: Partial<KataSettings> = {}): KataSettings {
  return {
    url: sim.info.url,
    externalSystemId: sim.info.externalSystemId,
    cert: readFileSync(sim.info.certFile),
    key: readFileSync(sim.info.keyFile),
    ca: readFileSync(sim.info.caFile),
    ...overrides,
  };
}
