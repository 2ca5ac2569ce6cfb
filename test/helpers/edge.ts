import { startKataSimulator } from '../../src/upstreams/kata/simulator';
import type { KataSimulator } from '../../src/upstreams/kata/simulator';
import { startKscSimulator } from '../../src/upstreams/ksc/simulator';
import type { KscSimulator } from '../../src/upstreams/ksc/simulator';
import { startTestGateway } from './gateway';
import type { TestGateway, TestGatewayOptions } from './gateway';
import { kataSettings } from './kata';
import { kscSettings } from './ksc';

/** A gateway in front of small KSC and KATA simulators, for tests of the edge (auth, limits). */
export interface EdgeEstate {
  gw: TestGateway;
  ksc: KscSimulator;
  kata: KataSimulator;
  /** Upstream calls since the last reset, all simulators together. */
  upstreamCalls(): number;
  /** Waits for the KSC result-set releases of earlier requests, then forgets every call so far. */
  resetCalls(): Promise<void>;
  stop(): Promise<void>;
}

export async function startEdgeEstate(options: Omit<TestGatewayOptions, 'ksc' | 'kata'> = {}): Promise<EdgeEstate> {
  const [ksc, kata] = await Promise.all([
    startKscSimulator({ scale: 0.05 }),
    startKataSimulator({ scale: 0.05, seed: 7 }),
  ]);
  const gw = await startTestGateway({ ...options, ksc: kscSettings(ksc), kata: kataSettings(kata) });
  // The readiness probe pings every upstream once at start-up; let it finish before counting.
  const ready = await fetch(`${gw.origin}/readyz`);
  if (ready.status !== 200) throw new Error(`gateway not ready: ${await ready.text()}`);
  const sims = [ksc, kata];
  return {
    gw,
    ksc,
    kata,
    upstreamCalls: () => sims.reduce((sum, sim) => sum + sim.server.totalCalls(), 0),
    resetCalls: async () => {
      await gw.upstreams.ksc?.settled();
      sims.forEach((sim) => sim.server.resetStats());
    },
    stop: async () => {
      await gw.stop();
      await Promise.all(sims.map((sim) => sim.close()));
    },
  };
}
