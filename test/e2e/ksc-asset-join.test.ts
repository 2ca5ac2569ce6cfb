import { startKscSimulator } from '../../src/upstreams/ksc/simulator';
import type { KscSimulator } from '../../src/upstreams/ksc/simulator';
import { startMdrSimulator } from '../../src/upstreams/mdr/simulator';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { kscSettings } from '../helpers/ksc';

type MdrSimulator = Awaited<ReturnType<typeof startMdrSimulator>>;

/** Asset.host and Host.asset: joins by host name, batched per page in both directions. */
describe('MDR assets ⇄ KSC hosts', () => {
  let mdr: MdrSimulator;
  let ksc: KscSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    [mdr, ksc] = await Promise.all([
      startMdrSimulator({ scale: 0.1, seed: 5 }),
      startKscSimulator({ scale: 0.1, seed: 5 }),
    ]);
    const admin = mdr.info.connections.find((c) => c.role === 'administrator' && c.tenants.length === 0)!;
    gw = await startTestGateway({
      mdr: { url: mdr.info.url, clientId: mdr.info.clientId, refreshToken: admin.refreshToken },
      ksc: kscSettings(ksc),
    });
    expect((await fetch(`${gw.origin}/readyz`)).status).toBe(200);
  });
  afterAll(async () => {
    await gw?.stop();
    await Promise.all([mdr?.close(), ksc?.close()]);
  });
  beforeEach(() => {
    mdr.server.resetStats();
    ksc.server.resetStats();
  });

  test("affected assets' KSC hosts are asked while MDR's assets/list is still in flight (one round trip saved)", async () => {
    // assets/list is held until KSC has received FindHosts: only a gateway that asks KSC by the
    // incident's host names without waiting for MDR's assets answers. Otherwise it fails after 10 s.
    let findHostsArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (findHostsArrived = resolve));
    ksc.server.beforeAnswer = (endpoint) => void (endpoint === 'HostGroup.FindHosts' && findHostsArrived());
    mdr.server.beforeAnswer = (endpoint) =>
      endpoint === 'assets/list'
        ? Promise.race([
            arrived,
            new Promise<void>((_, reject) =>
              setTimeout(() => reject(new Error('FindHosts never came')), 10_000).unref(),
            ),
          ])
        : undefined;
    try {
      const { incidents } = await gw.gql(
        '{ incidents(first: 20) { nodes { affectedAssets { hostName host { name } } } } }',
      );
      const assets = incidents.nodes.flatMap((i: { affectedAssets: unknown[] }) => i.affectedAssets);
      expect(assets.some((a: { host: unknown }) => a.host)).toBe(true);
      expect(ksc.server.callCount('HostGroup.FindHosts')).toBe(1);
      expect(mdr.server.callCount('assets/list')).toBe(1);
    } finally {
      ksc.server.beforeAnswer = undefined;
      mdr.server.beforeAnswer = undefined;
    }
  });

  test('a page of 50 assets with host { name online } costs one FindHosts, one chunk and one release', async () => {
    const { assets } = await gw.gql('{ assets(first: 50) { nodes { hostName host { hostId name online } } } }');
    expect(assets.nodes).toHaveLength(50);
    const joined = assets.nodes.filter((a: { host: unknown }) => a.host);
    expect(joined.length).toBeGreaterThan(30);
    for (const a of joined) expect(a.host.name.toLowerCase()).toBe(a.hostName.toLowerCase());
    expect(ksc.server.callCount('HostGroup.FindHosts')).toBe(1);
    expect(ksc.server.callCount('ChunkAccessor.GetItemsChunk')).toBe(1);
    expect(ksc.server.callCount('ChunkAccessor.Release')).toBe(1);
    expect(ksc.server.totalCalls()).toBe(3);
    expect(ksc.server.stats().open).toMatchObject({ accessors: 0, iterators: 0 });
  });

  test('a page of 50 hosts with asset { assetId } costs one MDR assets/list', async () => {
    const { hosts } = await gw.gql('{ hosts(first: 50) { nodes { name asset { assetId hostName } } } }');
    const joined = hosts.nodes.filter((h: { asset: unknown }) => h.asset);
    expect(joined.length).toBeGreaterThan(30);
    for (const h of joined) expect(h.asset.hostName.toLowerCase()).toBe(h.name.toLowerCase());
    expect(mdr.server.callCount('assets/list')).toBe(1);
  });

  test("a hosts page's asset incidents, started with the assets' answer: one incidents/list per filter, each equal to the asset asked alone", async () => {
    const INCIDENTS = 'pageInfo { hasNextPage endCursor } nodes { incidentId status }';
    const page = await gw.gql(
      `query ($open: [IncidentStatus!], $n: Int) {
        hosts(first: 40) {
          edges { node { name asset { assetId
            open: incidents(filter: { statuses: $open }, first: $n) { totalCount ${INCIDENTS} }
            ...Recent } } }
        }
      }
      fragment Recent on Asset { recent: incidents(first: 1) { ${INCIDENTS} } }`,
      { open: ['OPEN'], n: 2 },
    );
    expect(mdr.server.stats().calls).toEqual({ 'assets/list': 1, 'incidents/list': 2 });
    const assets = page.hosts.edges.flatMap((e: { node: { asset: unknown } }) => (e.node.asset ? [e.node.asset] : []));
    expect(assets.length).toBeGreaterThan(5);
    expect(assets.some((a: any) => a.open.totalCount > 0)).toBe(true);
    for (const a of assets) {
      const alone = await gw.gql(
        `query ($id: String!) { asset(assetId: $id) {
          open: incidents(filter: { statuses: [OPEN] }, first: 2) { totalCount ${INCIDENTS} }
          recent: incidents(first: 1) { ${INCIDENTS} } } }`,
        { id: a.assetId },
      );
      expect({ open: a.open, recent: a.recent }).toEqual(alone.asset);
    }
  });

  test("MDR failing during the hosts page's early asset lookup nulls only Host.asset, in one batch with its retries", async () => {
    mdr.routes.failEndpoint('assets/list', 503);
    try {
      const { status, body } = await gw.gqlRaw(
        '{ hosts(first: 5) { nodes { name group { name } asset { assetId } } } }',
      );
      expect(status).toBe(200);
      expect(body.data?.hosts.nodes).toHaveLength(5);
      for (const host of body.data!.hosts.nodes) {
        expect(host).toMatchObject({ name: expect.any(String), group: { name: expect.any(String) }, asset: null });
      }
      // One MDR failure, one error naming every Host.asset it nulled.
      expect(body.errors).toEqual([
        expect.objectContaining({
          path: ['hosts', 'nodes', expect.any(Number), 'asset'],
          extensions: {
            code: 'UPSTREAM_UNAVAILABLE',
            upstream: 'MDR',
            paths: expect.arrayContaining([0, 1, 2, 3, 4].map((n) => ['hosts', 'nodes', n, 'asset'])),
          },
        }),
      ]);
      expect(body.errors![0]!.extensions!.paths).toHaveLength(5);
      // The early lookup and the fields share one batch: one call and its 4 retries (MDR's policy),
      // not one per field.
      expect(mdr.server.callCount('assets/list')).toBe(5);
    } finally {
      mdr.routes.failEndpoint('assets/list', null);
    }
  });
});
