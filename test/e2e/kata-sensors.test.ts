import { createContext } from '../../src/graph/context';
import { silentLogger } from '../../src/logger';
import type { KataClient } from '../../src/upstreams/kata/client';
import { createKataClient } from '../../src/upstreams/kata/create';
import { startKataSimulator } from '../../src/upstreams/kata/simulator';
import type { KataSimulator } from '../../src/upstreams/kata/simulator';
import { buildEstate } from '../../src/upstreams/sim/estate';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { kataSettings } from '../helpers/kata';

const SHA = 'a'.repeat(64);
const MD5 = 'b'.repeat(32);

describe('KATA sensors, isolation and prevention through the gateway', () => {
  let sim: KataSimulator;
  let gw: TestGateway;
  let kata: KataClient;

  beforeAll(async () => {
    sim = await startKataSimulator({ scale: 0.1, seed: 3 });
    const settings = kataSettings(sim);
    gw = await startTestGateway({ kata: settings });
    // The gateway pings KATA once at start-up (readiness); let that finish before counting calls.
    expect((await fetch(`${gw.origin}/readyz`)).status).toBe(200);
    kata = await createKataClient(
      settings,
      { logger: silentLogger, stateDir: '' },
      { transport: { keepAliveTimeoutMs: 10 } },
    );
  });
  afterAll(async () => {
    await kata?.close();
    await gw?.stop();
    await sim?.close();
  });
  beforeEach(() => sim.server.resetStats());

  test('sensors are the estate machines with a sensor, under the same host names', async () => {
    const { sensors } = await gw.gql(
      '{ sensors { id sensorId hostName ipAddress osFamily osName version lastAccessTime capabilities } }',
    );
    const machines = buildEstate(3, 0.1).machines.filter((m) => m.hasSensor);
    expect(sensors.map((s: { hostName: string }) => s.hostName)).toEqual(machines.map((m) => m.hostName));
    expect(sensors[0]).toEqual({
      id: expect.any(String),
      sensorId: expect.stringMatching(/^[0-9A-F-]{36}$/),
      hostName: machines[0]!.hostName,
      ipAddress: machines[0]!.ipAddress,
      osFamily: machines[0]!.osFamily,
      osName: machines[0]!.osName,
      version: expect.any(String),
      lastAccessTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      capabilities: expect.arrayContaining(['network_isolation', 'run_process']),
    });
    expect(sim.server.callCount('GET sensors')).toBe(1);

    const { node } = await gw.gql('query ($id: ID!) { node(id: $id) { ... on Sensor { sensorId } } }', {
      id: sensors[0].id,
    });
    expect(node).toEqual({ sensorId: sensors[0].sensorId });
  });

  test('filters by host name, address and sensor id', async () => {
    const target = sim.routes.sensorList()[2]!;
    const query = 'query ($f: SensorFilter) { sensors(filter: $f) { sensorId } }';
    for (const filter of [
      { hostName: target.hostName },
      { ipAddress: target.hostIp },
      { sensorId: target.sensorId.toLowerCase() },
    ]) {
      const { sensors } = await gw.gql(query, { f: filter });
      expect(sensors).toContainEqual({ sensorId: target.sensorId });
    }
    expect((await gw.gql(query, { f: { hostName: 'NO-SUCH-HOST' } })).sensors).toEqual([]);
  });

  test('isolates a sensor with exclusions, shows it on the sensor, and releases it', async () => {
    const sensorId = sim.routes.sensorList()[0]!.sensorId;
    const { isolateSensor } = await gw.gql(
      `mutation ($input: IsolateSensorInput!) { isolateSensor(input: $input) {
         sensorId isolation { autoTurnoffTimeoutSeconds exclusions { direction protocol remoteIpv4Address remotePorts { from to } localPorts { from to } } } } }`,
      {
        input: {
          sensorId,
          timeoutHours: 2,
          exclusions: [
            { direction: 'OUTBOUND', protocol: 6, remoteIpv4Address: '10.0.0.5', remotePorts: { from: 443, to: 443 } },
          ],
        },
      },
    );
    expect(isolateSensor).toEqual({
      sensorId,
      isolation: {
        autoTurnoffTimeoutSeconds: 7200,
        exclusions: [
          {
            direction: 'OUTBOUND',
            protocol: 6,
            remoteIpv4Address: '10.0.0.5',
            remotePorts: { from: 443, to: 443 },
            localPorts: null,
          },
        ],
      },
    });
    const read = 'query ($f: SensorFilter) { sensors(filter: $f) { networkIsolation { autoTurnoffTimeoutSeconds } } }';
    expect((await gw.gql(read, { f: { sensorId } })).sensors).toEqual([
      { networkIsolation: { autoTurnoffTimeoutSeconds: 7200 } },
    ]);

    const released = await gw.gql(
      'mutation ($id: String!) { releaseSensorIsolation(input: { sensorId: $id }) { sensorId isolation { autoTurnoffTimeoutSeconds } } }',
      { id: sensorId },
    );
    expect(released.releaseSensorIsolation).toEqual({ sensorId, isolation: null });
    expect((await gw.gql(read, { f: { sensorId } })).sensors).toEqual([{ networkIsolation: null }]);
  });

  test('an isolation timeout out of range and an unknown sensor are coded errors', async () => {
    const isolate = 'mutation ($input: IsolateSensorInput!) { isolateSensor(input: $input) { sensorId } }';
    const tooLong = await gw.gqlRaw(isolate, {
      input: { sensorId: sim.routes.sensorList()[0]!.sensorId, timeoutHours: 10_000 },
    });
    expect(tooLong.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input.timeoutHours' });
    const unknown = await gw.gqlRaw(isolate, {
      input: { sensorId: '00000000-0000-4000-8000-000000000001', timeoutHours: 1 },
    });
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', upstream: 'KATA' });
  });

  test('adds prevention rules by merging with the existing set and removes them by hash', async () => {
    const sensorId = sim.routes.sensorList()[1]!.sensorId;
    const add = `mutation ($input: PreventionRulesInput!) { addPreventionRules(input: $input) { sensorId rules { sha256 md5 name } } }`;
    const remove = `mutation ($input: PreventionRulesInput!) { removePreventionRules(input: $input) { rules { sha256 md5 } } }`;
    await gw.gql(add, { input: { sensorId, rules: [{ sha256: SHA, name: 'dropper' }] } });
    const both = await gw.gql(add, {
      input: { sensorId, rules: [{ md5: MD5.toUpperCase() }, { sha256: SHA, name: 'dropper' }] },
    });
    expect(both.addPreventionRules).toEqual({
      sensorId,
      rules: [
        { sha256: SHA, md5: null, name: 'dropper' },
        { sha256: null, md5: MD5, name: null },
      ],
    });
    const after = await gw.gql(remove, { input: { sensorId, rules: [{ sha256: SHA }] } });
    expect(after.removePreventionRules.rules).toEqual([{ sha256: null, md5: MD5 }]);
    const global = await gw.gql(add, { input: { sensorId: 'all', rules: [{ sha256: SHA }] } });
    expect(global.addPreventionRules.rules).toEqual([{ sha256: SHA, md5: null, name: null }]);
    expect((await gw.gql('{ preventionRules { sha256 } }')).preventionRules).toEqual([{ sha256: SHA }]);

    const bad = await gw.gqlRaw(add, { input: { sensorId, rules: [{ sha256: 'xyz' }] } });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  test('sensor-by-host lookups for a page of 50 hosts cost one sensors call', async () => {
    const hostNames = buildEstate(3, 0.1)
      .machines.filter((m) => m.inKsc)
      .slice(0, 50)
      .map((m) => m.hostName);
    const ctx = createContext({
      requestId: 't',
      logger: silentLogger,
      caller: { subject: 'test', roles: ['administrator'], tenants: null },
      upstreams: { kata },
      signal: new AbortController().signal,
    });
    const found = await Promise.all(hostNames.map((n) => ctx.loaders.sensorByHostName.load(n)));
    // Later lookups in the same request (another field, another tick) reuse the list.
    const again = await ctx.loaders.sensorByHostName.load(hostNames[0]!.toLowerCase());
    expect(sim.server.callCount('GET sensors')).toBe(1);
    const withSensor = buildEstate(3, 0.1)
      .machines.filter((m) => m.inKsc)
      .slice(0, 50)
      .map((m) => m.hasSensor);
    expect(found.map((s) => s !== null)).toEqual(withSensor);
    expect(again?.hostName ?? null).toBe(found[0]?.hostName ?? null);
  });
});
