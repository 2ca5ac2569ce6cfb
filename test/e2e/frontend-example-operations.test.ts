import {
  CommentOnIncidentDocument,
  DecideResponseDocument,
  DeleteKataTaskDocument,
  HostPageDocument,
  IncidentDetailDocument,
  IsolateHostsDocument,
  PollTaskDocument,
  RunProcessDocument,
  TriageIncidentsDocument,
  UpstreamHealthDocument,
} from '../../examples/generated/graphql';
import { startTestEstate } from '../helpers/gateway';
import type { TestEstate, TestGateway } from '../helpers/gateway';
import { runTyped } from '../helpers/typed';

/**
 * The example operations a frontend would ship (examples/operations, compiled to typed documents by
 * `npm run codegen`), run against the whole simulated estate exactly as demo mode wires it.
 */
describe('the example frontend operations against all three simulators', () => {
  let estate: TestEstate;
  let gw: TestGateway;

  beforeAll(async () => {
    estate = await startTestEstate();
    gw = estate.gw;
  });
  afterAll(async () => {
    await estate?.stop();
  });

  test('every upstream is configured and reachable', async () => {
    const { upstreams } = await runTyped(gw, UpstreamHealthDocument);
    expect(upstreams.map(({ upstream, configured, reachable }) => ({ upstream, configured, reachable }))).toEqual([
      { upstream: 'MDR', configured: true, reachable: true },
      { upstream: 'KSC', configured: true, reachable: true },
      { upstream: 'KATA', configured: true, reachable: true },
    ]);
  });

  test('triage, then the detail of one incident, then a decision and a comment on it', async () => {
    const { incidents } = await runTyped(gw, TriageIncidentsDocument, {
      first: 10,
      filter: { statuses: ['OPEN'], responseStatuses: ['PENDING'] },
    });
    const triaged = incidents!.edges.map((e) => e.node);
    expect(triaged.length).toBeGreaterThan(0);
    expect(triaged.every((i) => i.status === 'OPEN')).toBe(true);
    const joined = triaged.flatMap((i) => i.affectedAssets).filter((a) => a.host);
    expect(joined.length).toBeGreaterThan(0);
    for (const asset of joined) expect(asset.host!.name).toBe(asset.hostName);

    const withPending = triaged.find((i) => i.responses!.nodes.some((r) => r.status === 'PENDING'))!;
    expect(withPending).toBeDefined();
    const { incident } = await runTyped(gw, IncidentDetailDocument, {
      incidentId: withPending.incidentId,
      format: 'HTML',
    });
    expect(incident).toMatchObject({ id: withPending.id, incidentNumber: withPending.incidentNumber });

    const pending = incident!.responses!.nodes.find((r) => r.status === 'PENDING')!;
    const { updateResponse } = await runTyped(gw, DecideResponseDocument, {
      input: { responseId: pending.responseId, status: 'DECLINED', comment: 'Not on a production server.' },
    });
    expect(updateResponse.response).toMatchObject({ responseId: pending.responseId, status: 'DECLINED' });
    const { addIncidentComment } = await runTyped(gw, CommentOnIncidentDocument, {
      input: { incidentId: withPending.incidentId, text: 'Looking into it.' },
    });
    expect(addIncidentComment.comment.text).toContain('Looking into it.');
  });

  test('a host page joins groups and MDR assets; hosts can be isolated and the task polled', async () => {
    const { hosts } = await runTyped(gw, HostPageDocument, { first: 20 });
    const page = hosts!.edges.map((e) => e.node);
    expect(page).toHaveLength(20);
    expect(hosts!.totalCount).toBeGreaterThan(20);
    expect(page.some((h) => h.asset !== null)).toBe(true);
    expect(page.every((h) => h.group !== null)).toBe(true);

    const target = page[0]!;
    const { isolateHosts } = await runTyped(gw, IsolateHostsDocument, {
      input: { hostIds: [target.hostId], timeoutMinutes: 60 },
    });
    expect(isolateHosts.hosts.map((h) => h.hostId)).toEqual([target.hostId]);
    expect(isolateHosts.task?.taskId).toBeTruthy();
  });

  test('a process runs on a sensor through KATA, is polled through the Task interface, and deleted', async () => {
    const [sensor] = (await gw.gql<{ sensors: { sensorId: string }[] }>('{ sensors { sensorId } }')).sensors;
    expect(sensor).toBeDefined();
    const { createKataTask } = await runTyped(gw, RunProcessDocument, {
      input: {
        sensorId: sensor!.sensorId,
        execCommand: 'C:\\Windows\\System32\\ipconfig.exe',
        cmdLineParameters: '/all',
      },
    });
    expect(createKataTask.task).toMatchObject({
      execCommand: 'C:\\Windows\\System32\\ipconfig.exe',
      sensor: { sensorId: sensor!.sensorId },
    });

    const { node } = await runTyped(gw, PollTaskDocument, { id: createKataTask.task.id });
    expect(node).toMatchObject({ taskId: createKataTask.task.taskId, upstream: 'KATA' });

    const { deleteKataTask } = await runTyped(gw, DeleteKataTaskDocument, {
      input: { taskId: createKataTask.task.taskId },
    });
    expect(deleteKataTask.deletedTaskId).toBe(createKataTask.task.taskId);
    expect((await runTyped(gw, PollTaskDocument, { id: createKataTask.task.id })).node).toBeNull();
  });
});
