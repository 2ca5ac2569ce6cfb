import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { Agent, request } from 'undici';

import { startKataSimulator } from '../../src/upstreams/kata/simulator';
import type { KataSimulator } from '../../src/upstreams/kata/simulator';
import { mintClientCertificate } from '../../src/upstreams/kata/simulator/certificates';

// The status codes of KATA's task calls as seed 003 lists them (400, 401, 404, 409), straight from
// the simulator over HTTPS with the approved client certificate: no gateway client in between.

describe('KATA simulator: task status codes over mutual TLS', () => {
  let sim: KataSimulator;
  let base: string;
  let sensorId: string;
  let approved: Agent;
  let bare: Agent;
  let stranger: Agent;

  beforeAll(async () => {
    sim = await startKataSimulator({ scale: 0.05 });
    const ca = readFileSync(sim.info.caFile);
    approved = new Agent({
      connect: { ca, cert: readFileSync(sim.info.certFile), key: readFileSync(sim.info.keyFile) },
      keepAliveTimeout: 10,
    });
    bare = new Agent({ connect: { ca }, keepAliveTimeout: 10 });
    const other = await mintClientCertificate('another-system', sim.certificates.ca);
    stranger = new Agent({ connect: { ca, cert: other.cert, key: other.key }, keepAliveTimeout: 10 });
    base = `${sim.url}/kata/response_api/v1/${sim.info.externalSystemId}`;
    sensorId = sim.routes.sensorList()[0]!.sensorId;
  });
  afterAll(async () => {
    await Promise.all([approved, bare, stranger].map((agent) => agent?.close()));
    await sim?.close();
  });
  beforeEach(() => sim.server.resetStats());

  async function call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    { body, dispatcher = approved }: { body?: string | object; dispatcher?: Agent } = {},
  ): Promise<{ status: number; json: unknown }> {
    const res = await request(`${base}${path}`, {
      method,
      dispatcher,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: text ? JSON.parse(text) : undefined };
  }

  const runProcess = (execCommand = 'cmd.exe') => ({
    task: { schedule: { startNow: true }, execCommand, cmdLineParameters: '/c whoami' },
  });
  const create = (taskId: string, body: object = runProcess()) =>
    call('POST', `/tasks/${taskId}?sensor_id=${sensorId}&task_type=run_process`, { body });

  test('a task is created (200), read (200), deleted (200); then its GET is 404 {"error": "Not Found"}, and so is a second DELETE', async () => {
    const taskId = randomUUID();
    expect(await create(taskId)).toEqual({
      status: 200,
      json: {
        state: 'pending',
        latestStartDateTime: '0001-01-01T00:00:00Z',
        task: { ...runProcess().task, sensorId },
      },
    });
    expect(await call('GET', `/tasks/${taskId}?settings=false`)).toMatchObject({ status: 200 });
    expect(await call('DELETE', `/tasks/${taskId}`)).toEqual({ status: 200, json: {} });
    expect(await call('GET', `/tasks/${taskId}?settings=false`)).toEqual({ status: 404, json: { error: 'Not Found' } });
    expect(await call('GET', `/tasks/${taskId}?settings=true`)).toEqual({ status: 404, json: { error: 'Not Found' } });
    expect(await call('DELETE', `/tasks/${taskId}`)).toEqual({ status: 404, json: { error: 'Not Found' } });
    expect(sim.server.stats().calls).toEqual({ 'POST tasks': 1, 'GET tasks': 3, 'DELETE tasks': 2 });
  });

  test('a task id that already exists is 409, with the same body or another, and no second task is made', async () => {
    const taskId = randomUUID();
    expect((await create(taskId)).status).toBe(200);
    const tasks = sim.routes.taskCount();
    expect(await create(taskId)).toEqual({
      status: 409,
      json: { error: 'Conflict', message: 'the task with the specified ID already exists' },
    });
    expect((await create(taskId.toUpperCase(), runProcess('other.exe'))).status).toBe(409);
    expect(sim.routes.taskCount()).toBe(tasks);
    expect((await call('GET', `/tasks/${taskId}?settings=true`)).json).toMatchObject({
      task: { execCommand: 'cmd.exe' },
    });
  });

  // Every row has four entries: a shorter one would make Jest pass its `done` callback as the body.
  test.each<[string, 'GET' | 'POST' | 'DELETE', string, string | object | undefined]>([
    ['a task id that is not a UUID (GET)', 'GET', '/tasks/not-a-uuid?settings=true', undefined],
    ['settings neither true nor false', 'GET', `/tasks/${randomUUID()}?settings=maybe`, undefined],
    ['a task id that is not a UUID (DELETE)', 'DELETE', '/tasks/not-a-uuid', undefined],
    ['a task id that is not a UUID (POST)', 'POST', '/tasks/not-a-uuid?sensor_id=S&task_type=run_process', {}],
    ['no sensor_id', 'POST', `/tasks/${randomUUID()}?task_type=run_process`, runProcess()],
    [
      'a task_type other than run_process',
      'POST',
      `/tasks/${randomUUID()}?sensor_id=S&task_type=kill_process`,
      runProcess(),
    ],
    ['a body that is not JSON', 'POST', `/tasks/${randomUUID()}?sensor_id=S&task_type=run_process`, '{"task": '],
    [
      'no execCommand',
      'POST',
      `/tasks/${randomUUID()}?sensor_id=S&task_type=run_process`,
      { task: { schedule: { startNow: true } } },
    ],
    [
      'cmdLineParameters not a string',
      'POST',
      `/tasks/${randomUUID()}?sensor_id=S&task_type=run_process`,
      { task: { execCommand: 'a.exe', cmdLineParameters: 7 } },
    ],
  ])('a malformed request is 400 "Incorrect parameters": %s', async (_name, method, path, body) => {
    const tasks = sim.routes.taskCount();
    const answer = await call(method, path.replace('sensor_id=S', `sensor_id=${sensorId}`), { body });
    expect(answer).toEqual({ status: 400, json: { error: 'Incorrect parameters', message: expect.any(String) } });
    expect(sim.routes.taskCount()).toBe(tasks);
  });

  test('a run-process task for a sensor KATA does not know is 404', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const answer = await call('POST', `/tasks/${randomUUID()}?sensor_id=${unknown}&task_type=run_process`, {
      body: runProcess(),
    });
    expect(answer).toEqual({ status: 404, json: { error: 'Not Found' } });
  });

  test('without a client certificate, or with one other than the approved, every task call is 401 and changes nothing', async () => {
    const taskId = randomUUID();
    expect((await create(taskId)).status).toBe(200);
    const tasks = sim.routes.taskCount();
    for (const [dispatcher, message] of [
      [bare, 'client certificate required'],
      [stranger, 'certificate does not match the approved one'],
    ] as const) {
      const refused = { status: 401, json: { error: 'Authorization required', message } };
      expect(await call('GET', `/tasks/${taskId}?settings=true`, { dispatcher })).toEqual(refused);
      expect(await call('DELETE', `/tasks/${taskId}`, { dispatcher })).toEqual(refused);
      expect(
        await call('POST', `/tasks/${randomUUID()}?sensor_id=${sensorId}&task_type=run_process`, {
          dispatcher,
          body: runProcess(),
        }),
      ).toEqual(refused);
    }
    expect(sim.routes.taskCount()).toBe(tasks);
    expect((await call('GET', `/tasks/${taskId}?settings=false`)).status).toBe(200);
  });
});
