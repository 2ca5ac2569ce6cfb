import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load';
import { startKscSimulator } from '../../src/upstreams/ksc/simulator';
import type { KscSimulator } from '../../src/upstreams/ksc/simulator';
import { TEST_EPOCH_MS } from '../helpers/epoch';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { kscSettings } from '../helpers/ksc';
import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('loadConfig accepted bad settings');
}

describe('SIM_<NAME>_FAULTS and SIM_<NAME>_LATENCY_MS', () => {
  test('name endpoints as the stats count them, with a rate and a fault (status, reset, lost or the blend)', () => {
    const { simulators } = loadConfig({
      SIM_MDR_FAULTS: 'incidents/list:0.3:500, session/confirm:0.1',
      SIM_KSC_FAULTS: 'HostGroup.FindHosts:1:reset,*:0.05:lost',
      SIM_KATA_FAULTS: 'GET sensors:0.5:503',
      SIM_MDR_LATENCY_MS: 'incidents/list:200,*:20',
      SIM_KSC_LATENCY_MS: 'login:50',
    });
    expect(simulators.mdrEndpoints).toEqual({
      faults: {
        'incidents/list': { rate: 0.3, action: { status: 500 } },
        'session/confirm': { rate: 0.1, action: 'mixed' },
      },
      latencyMs: { 'incidents/list': 200, '*': 20 },
    });
    expect(simulators.kscEndpoints).toEqual({
      faults: { 'HostGroup.FindHosts': { rate: 1, action: 'reset' }, '*': { rate: 0.05, action: 'lost' } },
      latencyMs: { login: 50 },
    });
    expect(simulators.kataEndpoints.faults).toEqual({ 'GET sensors': { rate: 0.5, action: { status: 503 } } });
    expect(loadConfig({}).simulators.mdrEndpoints).toEqual({ faults: undefined, latencyMs: undefined });
  });

  test.each([
    [{ SIM_MDR_FAULTS: 'incidents/lst:0.3' }, /^Invalid setting SIM_MDR_FAULTS: .*unknown endpoint "incidents\/lst"/],
    [{ SIM_MDR_FAULTS: 'incidents/list:1.5' }, /^Invalid setting SIM_MDR_FAULTS: .*from 0 to 1/],
    [{ SIM_KSC_FAULTS: 'HostGroup.FindHosts:0.1:teapot' }, /^Invalid setting SIM_KSC_FAULTS: /],
    [{ SIM_KSC_FAULTS: 'HostGroup.FindHosts' }, /^Invalid setting SIM_KSC_FAULTS: .*endpoint:rate/],
    [{ SIM_KATA_LATENCY_MS: 'GET sensors:-5' }, /^Invalid setting SIM_KATA_LATENCY_MS: .*integer from 0/],
    [{ SIM_EPOCH: 'yesterday' }, /^Invalid setting SIM_EPOCH: /],
  ])('a bad value stops the start with one line naming it: %j', (env, message) => {
    const text = failure(env);
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });
});

describe('per-endpoint faults in the simulators', () => {
  let mdr: MdrSimulator;
  let ksc: KscSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    const { simulators } = loadConfig({
      SIM_MDR_FAULTS: 'incidents/list:1:503',
      SIM_FAULT_RATE: '1',
    });
    // The global rate hits every endpoint but logins; the named rule wins for its endpoint.
    mdr = await startSmallMdr({ endpoints: simulators.mdrEndpoints, faultRate: 0 });
    ksc = await startKscSimulator({ scale: 0.02, epochMs: TEST_EPOCH_MS, faultRate: 1 });
    gw = await startTestGateway({ mdr: mdrSettings(mdr), ksc: kscSettings(ksc) });
  });
  afterAll(async () => {
    await gw?.stop();
    await mdr?.close();
    await ksc?.close();
  });
  beforeEach(() => {
    mdr.server.resetStats();
    ksc.server.resetStats();
  });

  test('a named endpoint fails while the others of its simulator answer', async () => {
    const { body } = await gw.gqlRaw(
      '{ incidents(first: 1) { nodes { incidentId } } assets(first: 1) { totalCount } }',
    );
    expect(body.data?.assets).toEqual({ totalCount: mdr.routes.assets.length });
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    // Retried, as a 503 is, then given up.
    expect(mdr.server.callCount('incidents/list')).toBeGreaterThan(1);
  });

  test('the global rate spares logins: a KSC login succeeds, the calls after it fail; a named login rule applies', async () => {
    // A gateway of its own: its first KSC call logs in.
    const fresh = await startTestGateway({ ksc: kscSettings(ksc) });
    try {
      const { body } = await fresh.gqlRaw('{ hosts(first: 1) { totalCount } }');
      expect(body.errors?.[0]?.extensions?.code).toMatch(/^UPSTREAM_/);
      expect(ksc.server.callCount('login') + ksc.server.callCount('Session.StartSession')).toBeGreaterThan(0);
      expect(ksc.server.callCount('HostGroup.FindHosts')).toBeGreaterThan(0);
    } finally {
      await fresh.stop();
    }
    ksc.server.endpointFaults.set('login', { rate: 1, action: { status: 503 } });
    ksc.server.endpointFaults.set('Session.StartSession', { rate: 1, action: { status: 503 } });
    ksc.server.faultRate = 0;
    ksc.server.resetStats();
    const other = await startTestGateway({ ksc: kscSettings(ksc) });
    try {
      const { body } = await other.gqlRaw('{ hosts(first: 1) { totalCount } }');
      expect(body.errors?.[0]?.extensions?.code).toMatch(/^UPSTREAM_/);
      expect(ksc.server.callCount('HostGroup.FindHosts')).toBe(0);
    } finally {
      await other.stop();
    }
  });

  test('a per-endpoint latency replaces the global one for that endpoint only', () => {
    const server = mdr.server;
    server.endpointLatencyMs.set('incidents/list', 0);
    server.latencyMs = 5;
    expect(server.latencyOf('incidents/list')).toBe(0);
    expect(server.latencyOf('assets/list')).toBe(5);
    server.latencyMs = 0;
  });
});
