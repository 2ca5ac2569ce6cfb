import { readFileSync } from 'node:fs';
import https from 'node:https';

import { silentLogger } from '../../src/logger';
import type { KataClient } from '../../src/upstreams/kata/client';
import { createKataClient } from '../../src/upstreams/kata/create';
import { startKataSimulator } from '../../src/upstreams/kata/simulator';
import type { KataSimulator } from '../../src/upstreams/kata/simulator';
import { kataSettings } from '../helpers/kata';

describe('KATA simulator tasks driven by its clock', () => {
  const start = Date.UTC(2026, 10, 23, 8, 0, 0);
  let now = start;
  let sim: KataSimulator;
  let kata: KataClient;

  beforeAll(async () => {
    // Polls never move a task here: only the clock does.
    sim = await startKataSimulator({ scale: 0.02, now: () => now, pollsToStart: 1_000, pollsToFinish: 1_000 });
    kata = await createKataClient(
      kataSettings(sim),
      { logger: silentLogger, stateDir: '' },
      { transport: { keepAliveTimeoutMs: 10 } },
    );
  });
  afterAll(async () => {
    await kata?.close();
    await sim?.close();
  });

  test('pending, then running from startAfterMs with that start time, then completed after finishAfterMs', async () => {
    const sensorId = sim.routes.sensorList()[0]!.sensorId;
    const created = await kata.createTask({ sensorId, execCommand: '/bin/true' });
    expect(created).toMatchObject({ state: 'PENDING', latestStartTime: null, sensorId });

    now = start + 1_999;
    expect(await kata.getTask(created.taskId)).toMatchObject({ state: 'PENDING', latestStartTime: null });
    now = start + 5_000;
    expect(await kata.getTask(created.taskId)).toMatchObject({
      state: 'RUNNING',
      latestStartTime: new Date(start + 2_000),
    });
    now = start + 10_000;
    expect(await kata.getTask(created.taskId)).toMatchObject({
      state: 'COMPLETED',
      latestStartTime: new Date(start + 2_000),
    });
  });

  test('a task created with startNow false stays pending', async () => {
    const sensorId = sim.routes.sensorList()[0]!.sensorId;
    const created = await kata.createTask({ sensorId, execCommand: '/bin/true', startNow: false });
    now += 60_000;
    expect(await kata.getTask(created.taskId)).toMatchObject({ state: 'PENDING', startNow: false });
  });

  test('/_simulator/stats counts calls per endpoint and needs no client certificate', async () => {
    const stats = await new Promise<{ calls: Record<string, number>; open: Record<string, number> }>(
      (resolve, reject) => {
        https
          .get(`${sim.url}/_simulator/stats`, { ca: readFileSync(sim.info.caFile), agent: false }, (res) => {
            let body = '';
            res.on('data', (c) => (body += c));
            res.on('end', () => resolve(JSON.parse(body)));
          })
          .on('error', reject);
      },
    );
    expect(stats).toEqual({
      calls: { 'POST tasks': 2, 'GET tasks': 4 },
      open: { sessions: 0, accessors: 0, iterators: 0, tasks: 2, pendingApprovals: 0 },
    });
  });
});
