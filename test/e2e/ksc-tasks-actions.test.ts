import { startKscSimulator } from '../../src/upstreams/ksc/simulator';
import type { KscSimulator } from '../../src/upstreams/ksc/simulator';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { kscSettings } from '../helpers/ksc';

/**
 * SOAR commands: Get Task Settings, Get Task Statistics, Get Task History, Scan Hosts, Quarantine
 * Files, Isolate Hosts, Unisolate Hosts, Scan Quarantined Files, Unquarantine Files. Task progress
 * follows the simulator's clock, which the tests move on explicitly.
 */
describe('KSC tasks and host actions through GraphQL', () => {
  let sim: KscSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    sim = await startKscSimulator({ scale: 0.1, taskDurationMs: 60_000 });
    gw = await startTestGateway({ ksc: kscSettings(sim) });
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });
  beforeEach(() => sim.server.resetStats());
  afterEach(() => expect(sim.server.stats().open).toMatchObject({ accessors: 0, iterators: 0 }));

  const TASK = `id taskId upstream state vendorState displayName typeName productName productCode statistics { completedPercent hostCountsByState }`;
  const online = (h: { row: Record<string, unknown> }) => (Number(h.row.KLHST_WKS_STATUS) & 0x1) === 0x1;
  /** Windows hosts in a group whose agents are online: tasks on them run and complete. */
  const hosts = () => sim.data.hosts.filter((h) => h.machine.osFamily === 'Windows' && h.groupId !== 1 && online(h));

  test('a host whose agent is offline never starts the task: it stays pending and the task is PARTIALLY_COMPLETED', async () => {
    const [up] = hosts();
    const down = sim.data.hosts.find((h) => h.machine.osFamily === 'Windows' && h.groupId !== 1 && !online(h))!;
    const { isolateHosts } = await gw.gql(
      'mutation($i: IsolateHostsInput!) { isolateHosts(input: $i) { task { taskId } } }',
      { i: { hostIds: [up!.id, down.id] } },
    );
    sim.advance(120_000);
    const { kscTask } = await gw.gql(
      'query($id: String!) { kscTask(taskId: $id) { state vendorState statistics { hostCountsByState } } }',
      { id: isolateHosts.task.taskId },
    );
    expect(kscTask).toMatchObject({
      state: 'PARTIALLY_COMPLETED',
      vendorState: 'Partially completed',
      statistics: { hostCountsByState: { completed: 1, pending: 1, running: 0 } },
    });
  });

  test('Get Task Settings, Statistics and History of a group task; unknown ids', async () => {
    const task = [...sim.data.tasks.values()].find((t) => t.typeName === 'ODS')!;
    const { kscTask } = await gw.gql(
      `query($id: String!) { kscTask(taskId: $id) { ${TASK} settings history(first: 5) { totalCount nodes { eventType hostName taskDisplayName attributes } } } }`,
      { id: task.id },
    );
    expect(kscTask).toMatchObject({
      taskId: task.id,
      upstream: 'KSC',
      displayName: task.displayName,
      typeName: 'ODS',
      productName: 'Kaspersky Endpoint Security for Windows',
      productCode: 'KES',
      settings: { TASK_NAME: 'ODS', TASK_ADDITIONAL_PARAMS: { ScanSettings: expect.any(Object) } },
    });
    const counts = kscTask.statistics.hostCountsByState;
    expect(counts.completed + counts.failed + counts.pending).toBe(sim.data.taskHosts(task).length);
    expect(counts.running).toBe(0);
    // Hosts still pending with none running is KSC's "Partially completed", not RUNNING.
    expect([kscTask.state, kscTask.vendorState]).toEqual(
      counts.pending > 0
        ? ['PARTIALLY_COMPLETED', 'Partially completed']
        : ['COMPLETED', expect.stringMatching(/^Completed/)],
    );
    expect(kscTask.history.nodes[0]).toMatchObject({
      eventType: 'KLPRCI_TaskState',
      taskDisplayName: task.displayName,
    });
    expect(sim.server.callCount('Tasks.GetTaskStatistics')).toBe(1);
    expect((await gw.gql('{ kscTask(taskId: "1111") { taskId } }')).kscTask).toBeNull();
  });

  test('KscTask through the shared Task interface and node(id:)', async () => {
    const task = [...sim.data.tasks.values()][0]!;
    const { kscTask } = await gw.gql('query($id: String!) { kscTask(taskId: $id) { id } }', { id: task.id });
    const { node } = await gw.gql(
      'query($id: ID!) { node(id: $id) { __typename ... on Task { taskId upstream state vendorState } ... on KscTask { displayName } } }',
      { id: kscTask.id },
    );
    expect(node).toMatchObject({
      __typename: 'KscTask',
      taskId: task.id,
      upstream: 'KSC',
      displayName: task.displayName,
    });
    expect(['PENDING', 'RUNNING', 'PARTIALLY_COMPLETED', 'COMPLETED', 'FAILED']).toContain(node.state);
  });

  test('Scan Hosts by name and IP: a task that runs and completes as simulated time passes', async () => {
    const [a, b] = hosts();
    const { scanHosts } = await gw.gql(
      `mutation($i: ScanHostsInput!) { scanHosts(input: $i) { task { ${TASK} } hosts { hostId name } } }`,
      {
        i: {
          hostNames: [a!.name, b!.machine.ipAddress],
          scanType: 'Virus Scan with Kaspersky Endpoint Security for Windows(11.7.0)',
          displayName: 'Virus Scan_postman1',
        },
      },
    );
    expect(scanHosts.hosts.map((h: { hostId: string }) => h.hostId).sort()).toEqual([a!.id, b!.id].sort());
    expect(scanHosts.task).toMatchObject({
      displayName: 'Virus Scan_postman1',
      typeName: 'ODS',
      state: expect.stringMatching(/PENDING|RUNNING/),
      statistics: { completedPercent: 0 },
    });
    expect(sim.server.callCount('Tasks.AddTask')).toBe(1);
    expect(sim.server.callCount('Tasks.RunTask')).toBe(1);
    const q = `query($id: String!) { kscTask(taskId: $id) { state vendorState statistics { completedPercent hostCountsByState } history(first: 10) { totalCount } } }`;
    sim.advance(30_000);
    const half = await gw.gql(q, { id: scanHosts.task.taskId });
    expect(half.kscTask).toMatchObject({
      state: 'RUNNING',
      statistics: { completedPercent: 50, hostCountsByState: { completed: 1, running: 1 } },
    });
    sim.advance(31_000);
    const done = await gw.gql(q, { id: scanHosts.task.taskId });
    expect(done.kscTask).toMatchObject({
      state: 'COMPLETED',
      vendorState: 'Completed',
      statistics: { completedPercent: 100 },
      history: { totalCount: 4 },
    });
    const ofHost = await gw.gql('query($id: String!) { host(hostId: $id) { tasks { taskId } } }', { id: a!.id });
    expect(ofHost.host.tasks.map((t: { taskId: string }) => t.taskId)).toContain(scanHosts.task.taskId);
  });

  test('Scan Hosts refuses unknown hosts and scan types before writing anything', async () => {
    const unknown = await gw.gqlRaw(
      'mutation { scanHosts(input: { hostNames: ["NO-SUCH-HOST"], scanType: "KES_WINDOWS", displayName: "x" }) { task { taskId } } }',
    );
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: "KSC: Unknown name of device 'NO-SUCH-HOST'.",
      extensions: { code: 'NOT_FOUND' },
    });
    const badType = await gw.gqlRaw(
      'mutation($n: String!) { scanHosts(input: { hostNames: [$n], scanType: "Quantum scan", displayName: "x" }) { task { taskId } } }',
      { n: hosts()[0]!.name },
    );
    expect(badType.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(sim.server.callCount('Tasks.AddTask')).toBe(0);
  });

  test("Quarantine Files: once the task completes, the files are in the host's quarantine", async () => {
    const h = hosts()[2]!;
    const path = 'C:\\Test\\dropper ")(*.txt';
    const { quarantineFiles } = await gw.gql(
      `mutation($i: QuarantineFilesInput!) { quarantineFiles(input: $i) { task { taskId typeName state } hosts { name } } }`,
      {
        i: { hostNames: [h.name], paths: [path], displayName: 'Quarantine file postman KEA 26-1' },
      },
    );
    expect(quarantineFiles).toMatchObject({
      task: { typeName: 'KLEDR_MoveFileToQuarantine', state: expect.stringMatching(/PENDING|RUNNING/) },
      hosts: [{ name: h.name }],
    });
    const q =
      'query($h: String, $p: [String!]) { quarantinedFiles(hostId: $h, paths: $p) { totalCount nodes { objectName host { name } } } }';
    expect((await gw.gql(q, { h: h.id, p: [path] })).quarantinedFiles.totalCount).toBe(0);
    sim.advance(61_000);
    const after = await gw.gql(q, { h: h.id, p: [path] });
    expect(after.quarantinedFiles.nodes).toEqual([{ objectName: path, host: { name: h.name } }]);
  });

  test('Isolate and Unisolate Hosts by host id', async () => {
    const [a, b] = hosts().slice(3, 5);
    const iso = await gw.gql(
      'mutation($ids: [String!]!) { isolateHosts(input: { hostIds: $ids, timeoutMinutes: 60 }) { task { taskId typeName settings } hosts { hostId } } }',
      { ids: [a!.id, b!.id] },
    );
    expect(iso.isolateHosts.task).toMatchObject({
      typeName: 'KLEDR_NetworkIsolation',
      settings: { TASK_ADDITIONAL_PARAMS: { IsolationTimeoutMinutes: 60 }, KLTSK_HOSTS: [a!.id, b!.id] },
    });
    expect(iso.isolateHosts.hosts).toHaveLength(2);
    const un = await gw.gql(
      'mutation($ids: [String!]!) { unisolateHosts(input: { hostIds: $ids }) { task { typeName } hosts { hostId } } }',
      { ids: [a!.id] },
    );
    expect(un.unisolateHosts).toEqual({ task: { typeName: 'KLEDR_NetworkIsolationOff' }, hosts: [{ hostId: a!.id }] });
    const missing = await gw.gqlRaw('mutation { unisolateHosts(input: { hostIds: ["nope"] }) { hosts { hostId } } }');
    expect(missing.body.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });

  test('Scan Quarantined Files and Unquarantine Files; a wrong id fails before any write', async () => {
    const [x, y] = sim.data.quarantine.slice(0, 2);
    const scan = await gw.gql(
      'mutation($ids: [Int!]!) { scanQuarantinedFiles(input: { fileIds: $ids }) { files { fileId objectName } } }',
      { ids: [x!.nId, y!.nId] },
    );
    expect(scan.scanQuarantinedFiles.files.map((f: { fileId: number }) => f.fileId)).toEqual([x!.nId, y!.nId]);
    expect(sim.server.callCount('QBTNetworkListApi.AddListItemsTask')).toBe(1);
    const bad = await gw.gqlRaw(
      'mutation { restoreQuarantinedFiles(input: { fileIds: [999999] }) { files { fileId } } }',
    );
    expect(bad.body.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(bad.body.errors?.[0]?.message).toContain("Wrong identificator of the list's item");
    expect(sim.server.callCount('QBTNetworkListApi.AddListItemsTask')).toBe(1);
    const restore = await gw.gql(
      'mutation($ids: [Int!]!) { restoreQuarantinedFiles(input: { fileIds: $ids }) { files { fileId } } }',
      { ids: [x!.nId] },
    );
    expect(restore.restoreQuarantinedFiles.files).toEqual([{ fileId: x!.nId }]);
    const left = await gw.gql('query($h: String) { quarantinedFiles(hostId: $h, first: 100) { nodes { fileId } } }', {
      h: x!.hostId,
    });
    expect(left.quarantinedFiles.nodes.map((n: { fileId: number }) => n.fileId)).not.toContain(x!.nId);
  });

  test('an account without write rights: Access denied → UPSTREAM_FORBIDDEN, the write sent once', async () => {
    const viewer = await startTestGateway({
      ksc: kscSettings(sim, { username: sim.viewer.username, password: sim.viewer.password }),
    });
    try {
      const res = await viewer.gqlRaw(
        'mutation($ids: [String!]!) { isolateHosts(input: { hostIds: $ids }) { task { taskId } } }',
        { ids: [hosts()[0]!.id] },
      );
      expect(res.body.errors?.[0]).toMatchObject({
        message: "KSC denied the gateway's account access to Tasks.AddTask.",
        extensions: { code: 'UPSTREAM_FORBIDDEN' },
      });
      expect(sim.server.callCount('Tasks.AddTask')).toBe(1);
      expect(sim.server.callCount('Tasks.RunTask')).toBe(0);
      const read = await viewer.gql('{ hosts(first: 1) { totalCount } }');
      expect(read.hosts.totalCount).toBe(sim.data.hosts.length);
    } finally {
      await viewer.stop();
    }
  });
});
