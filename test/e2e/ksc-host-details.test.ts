import { TEST_EPOCH_MS } from '../helpers/epoch';
import { startKscSimulator } from '../../src/upstreams/ksc/simulator';
import type { KscSimulator } from '../../src/upstreams/ksc/simulator';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { kscSettings } from '../helpers/ksc';

/**
 * SOAR commands: List Applications, Get Open Ports, List Host Tasks, List Users, Get User By IP,
 * List Execution Files, Get Execution File, List Quarantine Files, Fetch Event, Get Scan Result.
 */
describe('KSC host details, users and events through GraphQL', () => {
  let sim: KscSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    sim = await startKscSimulator({ scale: 0.1, epochMs: TEST_EPOCH_MS });
    gw = await startTestGateway({ ksc: kscSettings(sim) });
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });
  beforeEach(() => sim.server.resetStats());
  afterEach(() => expect(sim.server.stats().open).toMatchObject({ accessors: 0, iterators: 0 }));

  const windowsHost = () =>
    sim.data.hosts.find((h) => h.machine.osFamily === 'Windows' && h.machine.role === 'server' && h.groupId !== 1)!;

  test('List Applications and Get Open Ports of a host', async () => {
    const h = windowsHost();
    const { host } = await gw.gql(
      'query($id: String!) { host(hostId: $id) { applications { name version publisher productId installDate installDir } openPorts { port protocol processName } } }',
      { id: h.id },
    );
    expect(host.applications.length).toBe(sim.data.applicationsOf(h).length);
    expect(host.applications).toContainEqual(
      expect.objectContaining({ name: 'Kaspersky Endpoint Security for Windows', publisher: 'AO Kaspersky Lab' }),
    );
    expect(host.openPorts).toContainEqual({ port: 3389, protocol: 'TCP', processName: 'svchost.exe' });
    expect(sim.server.callCount('InventoryApi.GetHostInvProducts')).toBe(1);
  });

  test('List Host Tasks: group and global tasks with their state', async () => {
    const h = windowsHost();
    const { host } = await gw.gql(
      'query($id: String!) { host(hostId: $id) { tasks { id taskId upstream displayName typeName productName state vendorState } } }',
      { id: h.id },
    );
    expect(host.tasks.length).toBeGreaterThanOrEqual(4);
    expect(host.tasks.map((t: { displayName: string }) => t.displayName)).toEqual(
      expect.arrayContaining(['Install application remotely', expect.stringMatching(/^Virus scan/)]),
    );
    expect(host.tasks[0]).toMatchObject({ upstream: 'KSC', state: expect.stringMatching(/COMPLETED|RUNNING|FAILED/) });
    // Administration Server tasks carry product code 1093: the gateway answers the product's name.
    expect(
      host.tasks.find((t: { displayName: string }) => t.displayName === 'Install application remotely'),
    ).toMatchObject({
      productName: 'Kaspersky Security Center Administration Server',
    });
    expect(sim.server.callCount('Tasks.GetAllTasksOfHost')).toBe(1);
  });

  test('List Users: all, by host name (unknown name → none), by user name; Host.users', async () => {
    const h = windowsHost();
    const all = await gw.gql('{ kscUsers(first: 3) { totalCount nodes { name displayName principal mail domain } } }');
    expect(all.kscUsers.totalCount).toBe(sim.data.users.length);
    const mine = await gw.gql(
      'query($n: String) { kscUsers(filter: { hostName: $n }) { totalCount nodes { name principal } } }',
      { n: h.name },
    );
    expect(mine.kscUsers.nodes.map((u: { name: string }) => u.name)).toEqual(
      sim.data.usersOf(h).map((u) => u.KLHSTUSER_SAMNAME),
    );
    const none = await gw.gql('{ kscUsers(filter: { hostName: "NO-SUCH-HOST" }) { totalCount nodes { name } } }');
    expect(none.kscUsers).toEqual({ totalCount: 0, nodes: [] });
    const admin = await gw.gql('{ kscUsers(filter: { userNames: ["Administrator"] }) { nodes { name domain } } }');
    expect(admin.kscUsers.nodes).toEqual([{ name: 'Administrator', domain: 'KSC' }]);
    const { host } = await gw.gql('query($id: String!) { host(hostId: $id) { users { name } } }', { id: h.id });
    expect(host.users).toHaveLength(sim.data.usersOf(h).length);
  });

  test('Get User By IP: host and users per address, unknown addresses give none', async () => {
    const [a, b] = sim.data.hosts.slice(5, 7);
    const { usersByIp } = await gw.gql(
      'query($ips: [String!]!) { usersByIp(ipAddresses: $ips) { ipAddress host { name } users { name } } }',
      { ips: [a!.machine.ipAddress, b!.machine.ipAddress, '192.0.2.1'] },
    );
    expect(usersByIp[0]).toMatchObject({ ipAddress: a!.machine.ipAddress, host: { name: expect.any(String) } });
    expect(usersByIp[0].users.length).toBeGreaterThan(0);
    expect(usersByIp[2]).toEqual({ ipAddress: '192.0.2.1', host: null, users: [] });
    expect(sim.server.callCount('HostGroup.FindHosts')).toBe(1);
  });

  test('List Execution Files (one host, all hosts) and Get Execution File', async () => {
    const h = windowsHost();
    const { host } = await gw.gql(
      'query($id: String!) { host(hostId: $id) { executableFiles(first: 50) { totalCount nodes { id fileId fileName filePath sha256 md5 attributes host { hostId } } } } }',
      { id: h.id },
    );
    expect(host.executableFiles.totalCount).toBe(sim.data.exeFilesOf(h).length);
    const file = host.executableFiles.nodes[0];
    expect(file).toMatchObject({
      fileName: expect.any(String),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      host: { hostId: h.id },
    });
    const all = await gw.gql('{ executableFiles(first: 2) { totalCount } }');
    expect(all.executableFiles.totalCount).toBe(sim.data.exeFiles.length);
    const one = await gw.gql(
      'query($h: String!, $f: String!) { executableFile(hostId: $h, fileId: $f) { fileName md5 } }',
      { h: h.id, f: file.fileId },
    );
    expect(one.executableFile).toEqual({ fileName: file.fileName, md5: file.md5 });
    const byNode = await gw.gql('query($id: ID!) { node(id: $id) { ... on ExecutableFile { fileName } } }', {
      id: file.id,
    });
    expect(byNode.node).toEqual({ fileName: file.fileName });
    expect(
      (await gw.gql('query($h: String!) { executableFile(hostId: $h, fileId: "999999999") { fileName } }', { h: h.id }))
        .executableFile,
    ).toBeNull();
  });

  test('List Quarantine Files: all, by host, by path pattern', async () => {
    const all = await gw.gql(
      '{ quarantinedFiles(first: 5) { totalCount nodes { id fileId objectName description host { hostId name } } } }',
    );
    expect(all.quarantinedFiles.totalCount).toBe(sim.data.quarantine.length);
    const f = all.quarantinedFiles.nodes[0];
    const byHost = await gw.gql('query($h: String) { quarantinedFiles(hostId: $h) { totalCount nodes { fileId } } }', {
      h: f.host.hostId,
    });
    expect(byHost.quarantinedFiles.nodes.map((n: { fileId: number }) => n.fileId)).toContain(f.fileId);
    const byPath = await gw.gql('{ quarantinedFiles(paths: ["*.exe"]) { totalCount nodes { objectName } } }');
    expect(byPath.quarantinedFiles.totalCount).toBe(
      sim.data.quarantine.filter((q) => /\.exe$/i.test(String(q.row.ObjName))).length,
    );
    expect(byPath.quarantinedFiles.nodes.length).toBeGreaterThan(0);
    expect(byPath.quarantinedFiles.nodes.every((n: { objectName: string }) => n.objectName.endsWith('.exe'))).toBe(
      true,
    );
  });

  test('Fetch Event: since/severity/type filters, kscAttributes as in the SOAR example, paging, totalCount', async () => {
    const since = new Date(TEST_EPOCH_MS - 3 * 86_400_000).toISOString();
    const q = `query($f: EventFilter, $after: String) { events(filter: $f, first: 10, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id eventId eventType severity hostName riseTime description host { name } attributes } } }`;
    const critical = await gw.gql(q, { f: { since, severities: ['CRITICAL'] } });
    const expected = sim.data.events.filter(
      (e) => (e.rise_time as Date).getTime() >= Date.parse(since) && e.GNRL_EA_SEVERITY === 4,
    );
    expect(critical.events.totalCount).toBe(expected.length);
    expect(critical.events.nodes[0]).toMatchObject({
      severity: 'CRITICAL',
      eventId: String((expected[0]!.event_id as { value: number }).value),
    });
    const times = critical.events.nodes.map((n: { riseTime: string }) => Date.parse(n.riseTime));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect(critical.events.nodes[0].host.name).toBe(critical.events.nodes[0].hostName);
    const raw = await gw.gql(q, { f: { since, kscAttributes: { GNRL_EA_SEVERITY: 4 } } });
    expect(raw.events.totalCount).toBe(expected.length);
    const next = await gw.gql(q, { f: { since, severities: ['CRITICAL'] }, after: critical.events.pageInfo.endCursor });
    expect(next.events.nodes[0].eventId).toBe(String((expected[10]!.event_id as { value: number }).value));
    const typed = await gw.gql(q, {
      f: {
        since,
        eventTypes: ['GNRL_EV_VIRUS_FOUND'],
        kscAttributes: { KLEVP_RFC2254_FILTER: '(GNRL_EA_PARAM_5="HEUR:*")' },
      },
    });
    expect(typed.events.totalCount).toBe(
      sim.data.events.filter(
        (e) =>
          (e.rise_time as Date).getTime() >= Date.parse(since) &&
          e.event_type === 'GNRL_EV_VIRUS_FOUND' &&
          String(e.GNRL_EA_PARAM_5).toUpperCase().startsWith('HEUR:'),
      ).length,
    );
    expect(typed.events.nodes.length).toBeGreaterThan(0);
    expect(
      typed.events.nodes.every(
        (n: { eventType: string; attributes: { GNRL_EA_PARAM_5: string } }) =>
          n.eventType === 'GNRL_EV_VIRUS_FOUND' && n.attributes.GNRL_EA_PARAM_5.startsWith('HEUR:'),
      ),
    ).toBe(true);
    const bad = await gw.gqlRaw(q, { f: { since, kscAttributes: { xx: 1 } } });
    expect(bad.body.errors?.[0]).toMatchObject({
      message: 'KSC: Parameter with name "xx" not exist.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  test('a page of 50 events with host { name online } costs one batched FindHosts, not 50', async () => {
    const { events } = await gw.gql(
      '{ events(filter: { since: "2026-10-01T00:00:00Z" }, first: 50) { nodes { hostName host { name online } } } }',
    );
    expect(events.nodes).toHaveLength(50);
    expect(events.nodes.every((n: { hostName: string; host: { name: string } }) => n.host.name === n.hostName)).toBe(
      true,
    );
    expect(new Set(events.nodes.map((n: { hostName: string }) => n.hostName)).size).toBeGreaterThan(10);
    expect(sim.server.callCount('HostGroup.FindHosts')).toBe(1);
    expect(sim.server.callCount('ChunkAccessor.GetItemsChunk')).toBe(1);
    expect(sim.server.callCount('ChunkAccessor.Release')).toBe(1);
    expect(sim.server.totalCalls()).toBeLessThanOrEqual(8);
  });

  test("Get Scan Result: a host's events of one scan task over the last days; Host.events", async () => {
    const counts = new Map<string, number>();
    for (const e of sim.data.events)
      if (e.task_display_name === 'Virus scan')
        counts.set(e.hostname as string, (counts.get(e.hostname as string) ?? 0) + 1);
    const [hostId] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    sim.routes.advance(0);
    const { host } = await gw.gql(
      'query($id: String!) { host(hostId: $id) { scanResults(taskName: "Virus scan", days: 60) { eventType taskDisplayName hostName } events(first: 3) { totalCount nodes { hostName } } } }',
      { id: hostId },
    );
    expect(host.scanResults.length).toBe(counts.get(hostId));
    expect(host.scanResults.every((e: { taskDisplayName: string }) => e.taskDisplayName === 'Virus scan')).toBe(true);
    expect(host.events.totalCount).toBe(sim.data.events.filter((e) => e.hostname === hostId).length);
  });
});
