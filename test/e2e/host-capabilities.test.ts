import { startTestEstate } from '../helpers/gateway';
import type { TestEstate } from '../helpers/gateway';

interface Route {
  upstream: string;
  product: string | null;
  mutation: string | null;
  available: boolean;
  reason: string | null;
}
interface Capability {
  action: string;
  available: boolean;
  routes: Route[];
}
interface HostRow {
  hostId: string;
  name: string;
  online: boolean;
  osName: string;
  sensor: { capabilities: string[] } | null;
  capabilities: Capability[];
}

const ACTIONS = [
  'ISOLATE',
  'RELEASE',
  'SCAN',
  'QUARANTINE_FILE',
  'DELETE_FILE',
  'GET_FILE',
  'KILL_PROCESS',
  'RUN_PROCESS',
  'PREVENT_EXECUTION',
  'IOC_SCAN',
  'UPDATE_BASES',
];

/** What can I do to this host, through which product, and if not, why? */
describe('Host.capabilities', () => {
  let estate: TestEstate;
  let hosts: HostRow[];

  beforeAll(async () => {
    estate = await startTestEstate();
    // Counts are taken on a warm gateway: its first request after start reads the sensor list twice.
    await estate.gw.gql('{ hosts(first: 1) { nodes { name sensor { sensorId } } } }');
    for (const sim of [estate.sims.mdr, estate.sims.ksc, estate.sims.kata]) sim.server.resetStats();
    const data = await estate.gw.gql(`{
      hosts(first: 100) { nodes {
        hostId name online osName sensor { capabilities }
        capabilities { action available routes { upstream product mutation available reason } }
      } }
    }`);
    hosts = data.hosts.nodes;
  }, 60_000);
  afterAll(() => estate?.stop());

  const route = (h: HostRow, action: string, upstream: string) =>
    h.capabilities.find((c) => c.action === action)!.routes.find((r) => r.upstream === upstream);
  const find = (where: (h: HostRow) => boolean) => {
    const h = hosts.find(where);
    expect(h).toBeDefined();
    return h!;
  };

  test('a page of hosts costs one FindHosts and one GET sensors; every action is listed once per host', () => {
    expect(estate.sims.ksc.server.callCount('HostGroup.FindHosts')).toBe(1);
    expect(estate.sims.kata.server.callCount('GET sensors')).toBe(1);
    for (const h of hosts) expect(h.capabilities.map((c) => c.action)).toEqual(ACTIONS);
  });

  test('an online Windows workstation with a sensor: isolation through KSC and KATA, scan and quarantine through KES', () => {
    const h = find((x) => x.online && /windows/i.test(x.osName) && !/server/i.test(x.osName) && !!x.sensor);
    expect(route(h, 'ISOLATE', 'KSC')).toEqual({
      upstream: 'KSC',
      product: 'KES',
      mutation: 'isolateHosts',
      available: true,
      reason: null,
    });
    expect(route(h, 'ISOLATE', 'KATA')).toMatchObject({ mutation: 'isolateSensor', available: true, reason: null });
    expect(route(h, 'SCAN', 'KSC')).toMatchObject({ mutation: 'scanHosts', available: true });
    expect(route(h, 'QUARANTINE_FILE', 'KSC')).toMatchObject({ available: true });
    expect(route(h, 'PREVENT_EXECUTION', 'KATA')).toMatchObject({ mutation: 'addPreventionRules', available: true });
    expect(route(h, 'DELETE_FILE', 'KSC')).toMatchObject({ available: false, reason: 'NOT_OFFERED', mutation: null });
  });

  test('a Linux host: KES for Linux scans but does not quarantine; its sensor isolates but does not prevent', () => {
    const h = find((x) => x.online && /linux|ubuntu|centos|debian|red hat|astra/i.test(x.osName) && !!x.sensor);
    expect(route(h, 'SCAN', 'KSC')).toMatchObject({ product: 'KESL', available: true });
    expect(route(h, 'QUARANTINE_FILE', 'KSC')).toMatchObject({
      product: 'KESL',
      available: false,
      reason: 'PRODUCT_LACKS_IT',
    });
    expect(route(h, 'ISOLATE', 'KATA')).toMatchObject({ available: true });
    expect(route(h, 'PREVENT_EXECUTION', 'KATA')).toMatchObject({ available: false, reason: 'PRODUCT_LACKS_IT' });
  });

  test('an offline host is refused through KSC with AGENT_OFFLINE; a host without a sensor with NO_KATA_SENSOR', () => {
    const offline = find((x) => !x.online && /windows/i.test(x.osName) && !/server/i.test(x.osName));
    expect(route(offline, 'ISOLATE', 'KSC')).toMatchObject({ available: false, reason: 'AGENT_OFFLINE' });
    const bare = find((x) => !x.sensor);
    expect(route(bare, 'RUN_PROCESS', 'KATA')).toMatchObject({ available: false, reason: 'NO_KATA_SENSOR' });
  });

  test('every mutation a capability names is a mutation of this gateway', async () => {
    const { __schema } = await estate.gw.gql('{ __schema { mutationType { fields { name } } } }');
    const mutations = new Set(__schema.mutationType.fields.map((f: { name: string }) => f.name));
    const named = new Set(hosts.flatMap((h) => h.capabilities.flatMap((c) => c.routes.map((r) => r.mutation))));
    named.delete(null);
    expect(named.size).toBeGreaterThanOrEqual(8);
    for (const m of named) expect(mutations).toContain(m);
  });
});
