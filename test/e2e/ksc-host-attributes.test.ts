import { startKscSimulator } from '../../src/upstreams/ksc/simulator';
import type { KscSimulator } from '../../src/upstreams/ksc/simulator';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { kscSettings } from '../helpers/ksc';
import { recordRequests } from '../helpers/simulator-requests';

const EVERY_FIELD = 'id hostId name fqdn domain osName ipAddress online lastVisible agentVersion group { groupId }';

describe('KSC host lookups ask only for the attributes the operation reads', () => {
  let sim: KscSimulator;
  let gw: TestGateway;
  let requests: ReturnType<typeof recordRequests>;

  /** `vecFieldsToReturn` of every FindHosts the simulator answered since the last call. */
  const askedFor = () =>
    requests.take<{ vecFieldsToReturn: string[] }>('HostGroup.FindHosts').map((b) => b.vecFieldsToReturn);

  beforeAll(async () => {
    sim = await startKscSimulator({ scale: 0.1 });
    gw = await startTestGateway({ ksc: kscSettings(sim) });
    await gw.gql('{ hosts(first: 1) { nodes { hostId } } }');
    requests = recordRequests(sim.routes);
  });
  afterAll(async () => {
    requests?.restore();
    await gw?.stop();
    await sim?.close();
  });
  beforeEach(() => requests.clear());

  test('a page of names and states asks for id, name and status, and reads them as a full page does', async () => {
    const lean = await gw.gql('{ hosts(first: 30) { nodes { hostId name online } } }');
    expect(askedFor()).toEqual([['KLHST_WKS_HOSTNAME', 'KLHST_WKS_DN', 'KLHST_WKS_STATUS']]);
    const full = await gw.gql(`{ hosts(first: 30) { nodes { ${EVERY_FIELD} } } }`);
    expect(askedFor()[0]).toHaveLength(10);
    expect(lean.hosts.nodes).toEqual(
      full.hosts.nodes.map(({ hostId, name, online }: Record<string, unknown>) => ({ hostId, name, online })),
    );
    expect(full.hosts.nodes.some((h: { lastVisible: unknown }) => h.lastVisible !== null)).toBe(true);
  });

  test('lookups by id ask for what every field on Host in the operation reads, fragments included', async () => {
    const { hosts } = await gw.gql('{ hosts(first: 3) { nodes { hostId } } }');
    const [hostId] = hosts.nodes.map((h: { hostId: string }) => h.hostId);
    requests.clear();
    const { host } = await gw.gql(
      'query ($id: String!) { host(hostId: $id) { name ...Seen } } fragment Seen on Host { lastVisible group { name } }',
      { id: hostId },
    );
    expect(askedFor()).toEqual([['KLHST_WKS_HOSTNAME', 'KLHST_WKS_DN', 'KLHST_WKS_GROUPID', 'KLHST_WKS_LAST_VISIBLE']]);
    const { host: full } = await gw.gql(
      `query ($id: String!) { host(hostId: $id) { ${EVERY_FIELD} group { name } } }`,
      {
        id: hostId,
      },
    );
    expect(host).toEqual({ name: full.name, lastVisible: full.lastVisible, group: { name: full.group.name } });
  });

  test('an operation reaching hosts by node id asks for every attribute', async () => {
    const { hosts } = await gw.gql('{ hosts(first: 1) { nodes { id } } }');
    requests.clear();
    const { node } = await gw.gql('query ($id: ID!) { node(id: $id) { ... on Host { name } } }', {
      id: hosts.nodes[0].id,
    });
    expect(node.name).toEqual(expect.any(String));
    expect(askedFor()[0]).toHaveLength(10);
  });
});
