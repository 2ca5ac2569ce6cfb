import { MockAgent } from 'undici';

import { KataClient } from '../../src/upstreams/kata/client';
import { Transport } from '../../src/upstreams/transport';

const ORIGIN = 'https://kata.example';
const ID = '15301050-0490-4A41-81EA-B0391CF21EF3';
const BASE = `/kata/response_api/v1/${ID}`;
const TASK = '2eeb4cbc-10c6-4dc4-be0a-72a75cdb0be8';
const SENSOR = 'DF64838B-B518-414B-B769-2B8BE341A2F0';

describe('KataClient: KATA status codes', () => {
  let agent: MockAgent;
  let kata: KataClient;

  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
    const http = new Transport({
      upstream: 'kata',
      origin: ORIGIN,
      dispatcher: agent,
      retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2, budgetMs: 1_000 },
    });
    kata = new KataClient(http, ID, { newTaskId: () => TASK });
  });
  afterEach(async () => {
    agent.assertNoPendingInterceptors();
    await agent.close();
  });
  const pool = () => agent.get(ORIGIN);

  test('403 and 401 become UPSTREAM_AUTH_FAILED saying which', async () => {
    pool()
      .intercept({ path: `${BASE}/sensors`, method: 'GET' })
      .reply(403, { error: 'Forbidden', message: 'authorization request pending approval' });
    await expect(kata.listSensors()).rejects.toMatchObject({
      code: 'UPSTREAM_AUTH_FAILED',
      status: 403,
      message: expect.stringContaining('awaiting approval'),
    });
    pool()
      .intercept({ path: `${BASE}/sensors`, method: 'GET' })
      .reply(401, { error: 'Authorization required' });
    await expect(kata.listSensors()).rejects.toMatchObject({
      code: 'UPSTREAM_AUTH_FAILED',
      message: expect.stringContaining('certificate does not match'),
    });
  });

  test('a settings 400 that says "Authorization required" is the documented 400/401 swap', async () => {
    pool()
      .intercept({ path: `${BASE}/settings?sensor_id=${SENSOR}&settings_type=network_isolation`, method: 'GET' })
      .reply(400, { error: 'Authorization required' });
    await expect(kata.isolation(SENSOR)).rejects.toMatchObject({ code: 'UPSTREAM_AUTH_FAILED' });
    pool()
      .intercept({ path: `${BASE}/settings?sensor_id=${SENSOR}&settings_type=network_isolation`, method: 'GET' })
      .reply(400, { error: 'Incorrect parameters' });
    await expect(kata.isolation(SENSOR)).rejects.toMatchObject({ code: 'UPSTREAM_REJECTED', status: 400 });
  });

  test('5xx on GET is retried; a lasting one is UPSTREAM_UNAVAILABLE without the upstream body', async () => {
    pool()
      .intercept({ path: `${BASE}/tasks/${TASK}?settings=true`, method: 'GET' })
      .reply(503, { error: 'secret internals' });
    pool()
      .intercept({ path: `${BASE}/tasks/${TASK}?settings=true`, method: 'GET' })
      .reply(200, {
        state: 'running',
        latestStartDateTime: '2026-11-23T08:05:48Z',
        task: { execCommand: 'a.exe', schedule: { startNow: true } },
      });
    await expect(kata.getTask(TASK)).resolves.toMatchObject({
      state: 'RUNNING',
      vendorState: 'running',
      latestStartTime: new Date('2026-11-23T08:05:48Z'),
    });

    pool()
      .intercept({ path: `${BASE}/tasks/${TASK}?settings=true`, method: 'GET' })
      .reply(502, { error: 'secret internals' })
      .times(4);
    const error = await kata.getTask(TASK).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 502 });
    expect((error as Error).message).not.toContain('secret');
  });

  test('GET 404 is null; DELETE 404 is success (already gone)', async () => {
    pool()
      .intercept({ path: `${BASE}/tasks/${TASK}?settings=true`, method: 'GET' })
      .reply(404, { error: 'Not Found' });
    await expect(kata.getTask(TASK)).resolves.toBeNull();
    pool()
      .intercept({ path: `${BASE}/tasks/${TASK}`, method: 'DELETE' })
      .reply(404, { error: 'Not Found' });
    await expect(kata.deleteTask(TASK)).resolves.toBeUndefined();
  });

  test('POST 5xx is re-sent with the same task id; the 409 that follows is resolved by reading the task back', async () => {
    const path = `${BASE}/tasks/${TASK}?sensor_id=${SENSOR}&task_type=run_process`;
    const bodies: string[] = [];
    const answer = (statusCode: number) => (opts: { body?: unknown }) => {
      bodies.push(String(opts.body));
      return { statusCode, data: { error: 'x' } };
    };
    pool().intercept({ path, method: 'POST' }).reply(answer(503));
    pool().intercept({ path, method: 'POST' }).reply(answer(409));
    pool()
      .intercept({ path: `${BASE}/tasks/${TASK}?settings=true`, method: 'GET' })
      .reply(200, {
        state: 'pending',
        latestStartDateTime: '0001-01-01T00:00:00Z',
        task: { execCommand: 'cmd.exe', cmdLineParameters: '/c dir', schedule: { startNow: true } },
      });
    const task = await kata.createTask({ sensorId: SENSOR, execCommand: 'cmd.exe', cmdLineParameters: '/c dir' });
    expect(task).toMatchObject({ taskId: TASK, state: 'PENDING', latestStartTime: null, execCommand: 'cmd.exe' });
    expect(bodies).toHaveLength(2);
    expect(JSON.parse(bodies[0]!)).toEqual({
      task: { schedule: { startNow: true }, execCommand: 'cmd.exe', cmdLineParameters: '/c dir' },
    });
    expect(bodies[1]).toBe(bodies[0]);
  });

  describe.each([500, 502, 503, 504])('%i ("repeat the request later") is retried', (status) => {
    const taskPath = `${BASE}/tasks/${TASK}`;
    const created = { state: 'pending', latestStartDateTime: '0001-01-01T00:00:00Z' };

    test('for DELETE: the next answer counts', async () => {
      pool().intercept({ path: taskPath, method: 'DELETE' }).reply(status, { error: 'repeat later' });
      pool().intercept({ path: taskPath, method: 'DELETE' }).reply(200, {});
      await expect(kata.deleteTask(TASK)).resolves.toBeUndefined();
    });

    test('for DELETE: a 404 after it means the first attempt deleted the task, which is success', async () => {
      pool().intercept({ path: taskPath, method: 'DELETE' }).reply(status, { error: 'repeat later' });
      pool().intercept({ path: taskPath, method: 'DELETE' }).reply(404, { error: 'Not Found' });
      await expect(kata.deleteTask(TASK)).resolves.toBeUndefined();
    });

    test('for DELETE: one that lasts is UPSTREAM_UNAVAILABLE after the first attempt and 3 retries', async () => {
      pool().intercept({ path: taskPath, method: 'DELETE' }).reply(status, { error: 'secret internals' }).times(4);
      const error = await kata.deleteTask(TASK).catch((e: Error) => e);
      expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'kata', status });
      expect((error as Error).message).not.toContain('secret');
    });

    test('for GET', async () => {
      pool()
        .intercept({ path: `${taskPath}?settings=true`, method: 'GET' })
        .reply(status, { error: 'repeat later' });
      pool()
        .intercept({ path: `${taskPath}?settings=true`, method: 'GET' })
        .reply(200, created);
      await expect(kata.getTask(TASK)).resolves.toMatchObject({ taskId: TASK, state: 'PENDING' });
    });

    test('for POST, with the same task id and body', async () => {
      const path = `${taskPath}?sensor_id=${SENSOR}&task_type=run_process`;
      const bodies: string[] = [];
      const answer = (statusCode: number) => (opts: { body?: unknown }) => {
        bodies.push(String(opts.body));
        return { statusCode, data: statusCode === 200 ? created : { error: 'repeat later' } };
      };
      pool().intercept({ path, method: 'POST' }).reply(answer(status));
      pool().intercept({ path, method: 'POST' }).reply(answer(200));
      await expect(kata.createTask({ sensorId: SENSOR, execCommand: 'cmd.exe' })).resolves.toMatchObject({
        taskId: TASK,
        state: 'PENDING',
      });
      expect(bodies).toHaveLength(2);
      expect(bodies[1]).toBe(bodies[0]);
    });
  });

  test('DELETE answered 400 is not retried', async () => {
    pool()
      .intercept({ path: `${BASE}/tasks/${TASK}`, method: 'DELETE' })
      .reply(400, { error: 'Incorrect parameters' });
    await expect(kata.deleteTask(TASK)).rejects.toMatchObject({ code: 'UPSTREAM_REJECTED', status: 400 });
  });

  test('a 409 for a different task under the same id is BAD_USER_INPUT', async () => {
    pool()
      .intercept({ path: `${BASE}/tasks/${TASK}?sensor_id=${SENSOR}&task_type=run_process`, method: 'POST' })
      .reply(409, { error: 'Conflict' });
    pool()
      .intercept({ path: `${BASE}/tasks/${TASK}?settings=true`, method: 'GET' })
      .reply(200, { state: 'completed', task: { execCommand: 'other.exe', schedule: { startNow: true } } });
    await expect(kata.createTask({ sensorId: SENSOR, execCommand: 'cmd.exe', taskId: TASK })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { argument: 'taskId', reason: 'TASK_ID_IN_USE' },
    });
  });

  test('a caller task id that is not a UUID is refused before any call', async () => {
    await expect(kata.createTask({ sensorId: SENSOR, execCommand: 'x', taskId: 'abc' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });
});
