import 'reflect-metadata';

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { loadConfig } from '../../src/config/load';
import { startSimulators } from '../../src/simulators/start-simulators';

/**
 * Child process of `npm run bench` (a process of its own per scale, so each RSS is one estate's):
 * starts the three simulators as `npm run simulate` does (the whole data set built before the
 * first answer) and prints one JSON line: time from process start to ready, RSS and live heap.
 */
async function main(): Promise<void> {
  const settings = loadConfig({ SIM_SEED: process.env.SIM_SEED, SIM_SCALE: process.env.SIM_SCALE }).simulators;
  const sims = await startSimulators(settings, mkdtempSync(path.join(tmpdir(), 'bench-sim-')), { prepare: true });
  const readyMs = Math.round(performance.now());
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({
      scale: settings.scale,
      readyMs,
      rssMb: Math.round(memory.rss / 1e5) / 10,
      heapMb: Math.round(memory.heapUsed / 1e5) / 10,
      assets: sims.mdr.routes.assets.length,
      incidents: sims.mdr.routes.incidentCount,
      hosts: sims.ksc.data.hosts.length,
      events: sims.ksc.data.eventStore.count,
      sensors: sims.kata.routes.sensorList().length,
    })}\n`,
  );
  await sims.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`simulator start failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
