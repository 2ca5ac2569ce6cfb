import { startKscSimulator } from '../../src/upstreams/ksc/simulator';
import type { KscSimulator } from '../../src/upstreams/ksc/simulator';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { kscSettings } from '../helpers/ksc';

/** SOAR commands: Test Connection, List Hosts, List Groups, Get Host Status. */
describe('KSC hosts and groups through GraphQL', () => {
  let sim: KscSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    sim = await startKscSimulator({ scale: 0.1 });
    gw = await startTestGateway({ ksc: kscSettings(sim) });
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });
  beforeEach(() => sim.server.resetStats());
  afterEach(() => {
    // Whatever a test did, no accessor or iterator outlives its query.
    expect(sim.server.stats().open).toMatchObject({ accessors: 0, iterators: 0 });
  });

  test('Test Connection: upstreams reports KSC reachable via Session.Ping', async () => {
    const { upstreams } = await gw.gql('{ upstreams { upstream configured reachable message } }');
    expect(upstreams).toContainEqual({ upstream: 'KSC', configured: true, reachable: true, message: null });
    // The readiness probe may ping too: at least ours.
    expect(sim.server.callCount('Session.Ping')).toBeGreaterThanOrEqual(1);
  });

  test('Test Connection with a wrong password: unreachable, UPSTREAM_AUTH_FAILED, no secret in the message', async () => {
    const bad = await startTestGateway({ ksc: kscSettings(sim, { password: 'wrong-password' }) });
    try {
      const { upstreams } = await bad.gql('{ upstreams { upstream reachable code message } }');
      const ksc = upstreams.find((u: { upstream: string }) => u.upstream === 'KSC');
      expect(ksc).toMatchObject({ reachable: false, code: 'UPSTREAM_AUTH_FAILED' });
      expect(ksc.message).not.toContain('wrong-password');
    } finally {
      await bad.stop();
    }
  });

  test('List Hosts: a page with totalCount and cursors costs FindHosts + one chunk + Release (and one batched FindGroups for every group field)', async () => {
    const q = `query($after: String) { hosts(first: 5, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id hostId name fqdn osName ipAddress online lastVisible agentVersion group { groupId name } } } }`;
    const first = await gw.gql(q);
    expect(first.hosts.totalCount).toBe(sim.data.hosts.length);
    expect(first.hosts.nodes).toHaveLength(5);
    expect(first.hosts.pageInfo.hasNextPage).toBe(true);
    const names = first.hosts.nodes.map((n: { name: string }) => n.name);
    expect([...names].sort()).toEqual(names);
    expect(sim.server.callCount('HostGroup.FindHosts')).toBe(1);
    expect(sim.server.callCount('HostGroup.FindGroups')).toBe(1);
    expect(sim.server.callCount('ChunkAccessor.GetItemsChunk')).toBe(2);
    expect(sim.server.callCount('ChunkAccessor.Release')).toBe(2);
    expect(sim.server.callCount('Session.StartSession')).toBeLessThanOrEqual(1);
    const second = await gw.gql(q, { after: first.hosts.pageInfo.endCursor });
    expect(second.hosts.nodes[0].name >= names[4]).toBe(true);
    expect(second.hosts.nodes.map((n: { name: string }) => n.name)).not.toContain(names[4]);
    const sample = sim.data.hosts.find((h) => h.name === names[0])!;
    expect(first.hosts.nodes[0]).toMatchObject({
      hostId: sample.id,
      name: sample.name,
      fqdn: sample.machine.fqdn,
      ipAddress: sample.machine.ipAddress,
    });
  });

  test('List Hosts filters: names with wildcards, online, raw kscFilter in the SOAR implicit-AND form', async () => {
    const ws = await gw.gql(
      '{ hosts(first: 100, filter: { names: ["WS-*"], online: true }) { totalCount nodes { name online } } }',
    );
    expect(ws.hosts.totalCount).toBe(
      sim.data.hosts.filter((h) => h.name.startsWith('WS-') && (h.row.KLHST_WKS_STATUS as number) & 1).length,
    );
    expect(ws.hosts.nodes.length).toBeGreaterThan(0);
    expect(ws.hosts.nodes.every((n: { name: string; online: boolean }) => n.name.startsWith('WS-') && n.online)).toBe(
      true,
    );
    const raw = await gw.gql(
      'query($f: String) { hosts(first: 100, filter: { kscFilter: $f }) { totalCount nodes { osName } } }',
      {
        f: '((KLHST_WKS_FQDN="srv-*")(KLHST_WKS_OS_NAME="*Server 2019*"))',
      },
    );
    expect(raw.hosts.totalCount).toBe(
      sim.data.hosts.filter((h) => h.machine.fqdn.startsWith('srv-') && h.machine.osName.includes('Server 2019'))
        .length,
    );
  });

  test("an invalid kscFilter is refused before it reaches KSC, with the parser's message", async () => {
    for (const [filter, message] of [
      ['(KLHST_WKS_FQDN="kaspersky1"', "Invalid KSC filter: Pos 28. Closing bracket ')' expected."],
      ['(ol="x")', "Invalid KSC filter: Pos 1. Unknown attribute 'ol'."],
    ]) {
      const { body } = await gw.gqlRaw('query($f: String) { hosts(filter: { kscFilter: $f }) { totalCount } }', {
        f: filter,
      });
      expect(body.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
    }
    expect(sim.server.callCount('HostGroup.FindHosts')).toBe(0);
  });

  test('a host name that tries to inject filter syntax matches nothing', async () => {
    const { hosts } = await gw.gql('query($n: [String!]) { hosts(filter: { names: $n }) { totalCount } }', {
      n: ['x")(|(KLHST_WKS_DN="*'],
    });
    expect(hosts.totalCount).toBe(0);
  });

  test('host(hostId) and Get Host Status: the named attributes as KSC returned them', async () => {
    const target = sim.data.hosts[3]!;
    const { host } = await gw.gql(
      'query($id: String!) { host(hostId: $id) { name attributes(names: ["KLHST_WKS_ANTI_SPAM_STATUS", "KLHST_WKS_STATUS", "KLHST_WKS_LAST_VISIBLE"]) } }',
      { id: target.id },
    );
    expect(host).toEqual({
      name: target.name,
      attributes: {
        KLHST_WKS_ANTI_SPAM_STATUS: target.row.KLHST_WKS_ANTI_SPAM_STATUS,
        KLHST_WKS_STATUS: target.row.KLHST_WKS_STATUS,
        KLHST_WKS_LAST_VISIBLE: new Date(
          Math.floor((target.row.KLHST_WKS_LAST_VISIBLE as Date).getTime() / 1000) * 1000,
        ).toISOString(),
      },
    });
    expect(sim.server.callCount('HostGroup.GetHostInfo')).toBe(1);
    expect((await gw.gql('{ host(hostId: "no-such-host") { name } }')).host).toBeNull();
  });

  test('Get Host Status for a page of hosts: one FindHosts for all their attributes', async () => {
    const { hosts } = await gw.gql(
      '{ hosts(first: 20, filter: { names: ["WS-*"] }) { nodes { hostId attributes(names: ["KLHST_WKS_STATUS", "KLHST_WKS_RTP_AV_VERSION"]) } } }',
    );
    expect(hosts.nodes).toHaveLength(20);
    for (const h of hosts.nodes) {
      const row = sim.data.hostById(h.hostId)!.row;
      expect(h.attributes).toEqual({
        KLHST_WKS_STATUS: row.KLHST_WKS_STATUS,
        KLHST_WKS_RTP_AV_VERSION: row.KLHST_WKS_RTP_AV_VERSION,
      });
    }
    expect(sim.server.callCount('HostGroup.FindHosts')).toBe(2);
    expect(sim.server.callCount('HostGroup.GetHostInfo')).toBe(0);
  });

  test('List Groups: tree with parents, filter by parentId and by name, hosts of a group', async () => {
    const all = await gw.gql(
      '{ hostGroups(first: 100) { totalCount nodes { id groupId name parent { groupId name } } } }',
    );
    expect(all.hostGroups.totalCount).toBe(sim.data.groups.length);
    expect(all.hostGroups.nodes[0]).toMatchObject({ groupId: 0, name: 'Managed devices', parent: null });
    const tenants = await gw.gql(
      '{ hostGroups(first: 10, filter: { parentId: 0 }) { nodes { name parent { name } } } }',
    );
    expect(tenants.hostGroups.nodes.map((g: { name: string }) => g.name)).toContain('Head Office');
    expect(
      tenants.hostGroups.nodes.every((g: { parent: { name: string } }) => g.parent.name === 'Managed devices'),
    ).toBe(true);
    const fin = await gw.gql(
      '{ hostGroups(first: 10, filter: { name: "FIN" }) { nodes { groupId hosts(first: 3) { totalCount nodes { name group { name } } } } } }',
    );
    const group = fin.hostGroups.nodes[0];
    expect(group.hosts.totalCount).toBe(sim.data.hosts.filter((h) => h.groupId === group.groupId).length);
    expect(group.hosts.nodes.length).toBeGreaterThan(0);
    expect(group.hosts.nodes.every((h: { group: { name: string } }) => h.group.name === 'FIN')).toBe(true);
    const raw = await gw.gqlRaw(
      '{ hostGroups(filter: { kscFilter: "((name=\\"*group*\\")(parentId=1))" }) { totalCount } }',
    );
    expect(raw.body.data?.hostGroups).toEqual({ totalCount: 0 });
  });

  test('node(id:) resolves Host and HostGroup', async () => {
    const { hosts } = await gw.gql('{ hosts(first: 1) { nodes { id name group { id name } } } }');
    const h = hosts.nodes[0];
    const { a, b } = await gw.gql(
      'query($h: ID!, $g: ID!) { a: node(id: $h) { ... on Host { name } } b: node(id: $g) { ... on HostGroup { name } } }',
      { h: h.id, g: h.group.id },
    );
    expect(a).toEqual({ name: h.name });
    expect(b).toEqual({ name: h.group.name });
  });
});
