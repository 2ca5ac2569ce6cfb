import { readFileSync } from 'node:fs';

import type { KscSettings } from '../../src/config/settings';
import type { KscSimulator } from '../../src/upstreams/ksc/simulator';

/** Gateway settings pointing at a running KSC simulator (as demo mode builds them). */
export function kscSettings(sim: KscSimulator, overrides: Partial<KscSettings> = {}): KscSettings {
  return {
    url: sim.info.url,
    username: sim.info.username,
    password: sim.info.password,
    internalUser: true,
    vserver: '',
    ca: readFileSync(sim.info.caFile),
    maxConcurrency: 4,
    ...overrides,
  };
}
