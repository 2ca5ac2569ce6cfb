import { startKataSimulator } from '../../src/upstreams/kata/simulator';
import type { KataSimulator } from '../../src/upstreams/kata/simulator';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { kataSettings } from '../helpers/kata';

const CREATE = `mutation ($input: CreateKataTaskInput!) {
  createKataTask(input: $input) {
    task { id taskId upstream state vendorState execCommand cmdLineParameters workingDirectory startNow sensor { sensorId hostName } }
  }
}`;
const GET = `query ($taskId: String!) { kataTask(taskId: $taskId) { taskId state vendorState latestStartTime } }`;
const DELETE = `mutation ($taskId: String!) { deleteKataTask(input: { taskId: $taskId }) { deletedTaskId } }`;

describe('KATA run-process tasks through the gateway', () => {
  let sim: KataSimulator;
  let gw: TestGateway;
  let sensorId: string;
  let hostName: string;

  beforeAll(async () => {
    sim = await startKataSimulator({ scale: 0.05, seed: 7 });
    gw = await startTestGateway({ kata: kataSettings(sim) });
    // The gateway pings KATA once at start-up (readiness); let that finish before counting calls.
    expect((await fetch(`${gw.origin}/readyz`)).status).toBe(200);
    const sensor = sim.routes.sensorList()[0]!;
    sensorId = sensor.sensorId;
    hostName = sensor.hostName!;
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });
  beforeEach(() => {
    sim.server.faultRate = 0;
    sim.server.resetStats();
  });

  test('create, poll until completed, delete, then the task reads as null without an error', async () => {
    const { createKataTask } = await gw.gql(CREATE, {
      input: {
        sensorId,
        execCommand: 'cmd.exe',
        cmdLineParameters: '/c ipconfig /all',
        workingDirectory: 'C:\\Windows\\Temp',
      },
    });
    expect(createKataTask.task).toMatchObject({
      taskId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      upstream: 'KATA',
      state: 'PENDING',
      vendorState: 'pending',
      execCommand: 'cmd.exe',
      cmdLineParameters: '/c ipconfig /all',
      workingDirectory: 'C:\\Windows\\Temp',
      startNow: true,
      sensor: { sensorId, hostName },
    });
    const { taskId } = createKataTask.task;

    const states: string[] = [];
    for (let poll = 0; poll < 10; poll++) {
      const { kataTask } = await gw.gql(GET, { taskId });
      states.push(kataTask.state);
      if (kataTask.state === 'COMPLETED') {
        expect(kataTask.latestStartTime).toMatch(/^\d{4}-\d\d-\d\dT/);
        break;
      }
    }
    expect(states).toEqual(['RUNNING', 'COMPLETED']);

    // Through the Task interface, as a frontend polling tasks of every kind would.
    const { node } = await gw.gql(
      'query ($id: ID!) { node(id: $id) { __typename ... on Task { taskId upstream state vendorState } } }',
      {
        id: createKataTask.task.id,
      },
    );
    expect(node).toEqual({
      __typename: 'KataTask',
      taskId,
      upstream: 'KATA',
      state: 'COMPLETED',
      vendorState: 'completed',
    });

    expect(await gw.gql(DELETE, { taskId })).toEqual({ deleteKataTask: { deletedTaskId: taskId } });
    const after = await gw.gqlRaw(GET, { taskId });
    expect(after.body).toEqual({ data: { kataTask: null } });
    expect(sim.server.callCount('POST tasks')).toBe(1);
    expect(sim.server.callCount('DELETE tasks')).toBe(1);
  });

  test('a task whose command cannot run ends FAILED', async () => {
    const { createKataTask } = await gw.gql(CREATE, { input: { sensorId, execCommand: 'C:\\nonexistent\\tool.exe' } });
    const { taskId } = createKataTask.task;
    await gw.gql(GET, { taskId });
    const { kataTask } = await gw.gql(GET, { taskId });
    expect(kataTask).toMatchObject({ state: 'FAILED', vendorState: 'failed' });
  });

  test('creating twice with the same taskId yields one task', async () => {
    const taskId = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const before = sim.routes.taskCount();
    const input = { sensorId, execCommand: '/usr/bin/uptime', taskId };
    const first = await gw.gql(CREATE, { input });
    const second = await gw.gql(CREATE, { input });
    expect(second.createKataTask.task.taskId).toBe(taskId);
    expect(second.createKataTask.task.id).toBe(first.createKataTask.task.id);
    expect(sim.routes.taskCount()).toBe(before + 1);
    expect(sim.server.callCount('POST tasks')).toBe(2);

    const clash = await gw.gqlRaw(CREATE, { input: { ...input, execCommand: '/usr/bin/id' } });
    expect(clash.body.errors).toEqual([
      expect.objectContaining({
        path: ['createKataTask'],
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
    expect(sim.routes.taskCount()).toBe(before + 1);
  });

  test('with a fault rate of 0.3 every createKataTask call creates exactly one task', async () => {
    sim.server.faultRate = 0.3;
    const before = sim.routes.taskCount();
    const ids = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const { createKataTask } = await gw.gql(CREATE, {
        input: { sensorId, execCommand: 'cmd.exe', cmdLineParameters: `/c echo ${i}` },
      });
      expect(createKataTask.task.cmdLineParameters).toBe(`/c echo ${i}`);
      ids.add(createKataTask.task.taskId);
    }
    expect(ids.size).toBe(12);
    expect(sim.routes.taskCount()).toBe(before + 12);
    // Faults did happen: more POSTs reached the simulator than tasks were asked for.
    expect(sim.server.callCount('POST tasks')).toBeGreaterThan(12);
  });

  test('an unknown task id reads as null; a malformed one too', async () => {
    expect(await gw.gqlRaw(GET, { taskId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({
      body: { data: { kataTask: null } },
    });
    expect(await gw.gqlRaw(GET, { taskId: 'nope' })).toMatchObject({ body: { data: { kataTask: null } } });
  });
});
