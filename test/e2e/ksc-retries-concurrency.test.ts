import { startKscSimulator } from '../../src/upstreams/ksc/simulator';
import type { KscSimulator } from '../../src/upstreams/ksc/simulator';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { kscSettings } from '../helpers/ksc';

describe('KSC retries (reads only) and the per-server concurrency limit', () => {
  let sim: KscSimulator;
  let gw: TestGateway;
  let inFlight = 0;
  let maxInFlight = 0;

  beforeAll(async () => {
    sim = await startKscSimulator({ scale: 0.05 });
    sim.server.server.on('request', (req, res) => {
      if (!req.url?.startsWith('/api/')) return;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      res.once('close', () => inFlight--);
    });
    gw = await startTestGateway({ ksc: kscSettings(sim, { maxConcurrency: 2 }) });
    await gw.gql('{ upstreams { reachable } }');
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });
  beforeEach(() => {
    sim.server.resetStats();
    sim.routes.onCall = undefined;
    sim.server.latencyMs = 0;
  });

  test('a read that meets a 503 is sent again and succeeds', async () => {
    let failed = false;
    sim.routes.onCall = (endpoint) => {
      if (endpoint === 'HostGroup.FindHosts' && !failed) {
        failed = true;
        return { status: 503, text: 'Service Unavailable' };
      }
    };
    const { hosts } = await gw.gql('{ hosts(first: 2) { nodes { name } } }');
    expect(hosts.nodes).toHaveLength(2);
    expect(sim.server.callCount('HostGroup.FindHosts')).toBe(2);
  });

  test('a write that meets a 503 is reported, never re-sent', async () => {
    sim.routes.onCall = (endpoint) =>
      endpoint === 'Tasks.AddTask' ? { status: 503, text: 'Service Unavailable' } : undefined;
    const host = sim.data.hosts.find((h) => h.groupId !== 1)!;
    const res = await gw.gqlRaw(
      'mutation($n: String!) { scanHosts(input: { hostNames: [$n], scanType: "KES_WINDOWS", displayName: "scan" }) { task { taskId } } }',
      { n: host.name },
    );
    expect(res.body.errors?.[0]).toMatchObject({
      message: 'KSC failed to answer Tasks.AddTask (HTTP 503).',
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    });
    expect(sim.server.callCount('Tasks.AddTask')).toBe(1);
    expect(sim.server.callCount('Tasks.RunTask')).toBe(0);
  });

  test('never more calls in flight than settings.maxConcurrency', async () => {
    sim.server.latencyMs = 20;
    maxInFlight = 0;
    const ids = sim.data.hosts.slice(0, 8).map((h) => h.id);
    const fields = ids
      .map((id, i) => `h${i}: host(hostId: "${id}") { applications { name } openPorts { port } }`)
      .join('\n');
    await gw.gql(`{ ${fields} }`);
    expect(sim.server.callCount('InventoryApi.GetHostInvProducts')).toBe(8);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    expect(maxInFlight).toBe(2);
  });
});
