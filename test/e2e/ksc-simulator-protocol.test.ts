import { readFileSync } from 'node:fs';

import { Client } from 'undici';

import { startKscSimulator } from '../../src/upstreams/ksc/simulator';
import type { KscSimulator } from '../../src/upstreams/ksc/simulator';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('KSC simulator wire protocol', () => {
  let sim: KscSimulator;
  let client: Client;

  beforeAll(async () => {
    sim = await startKscSimulator({ scale: 0.05 });
    client = new Client(sim.url, {
      connect: { ca: readFileSync(sim.info.caFile) },
      keepAliveTimeout: 10,
      pipelining: 1,
    });
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  async function post(path: string, headers: Record<string, string> = {}, body?: unknown) {
    const res = await client.request({
      method: 'POST',
      path: `/api/v1.0/${path}`,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, text, json: text.startsWith('{') ? JSON.parse(text) : undefined };
  }
  const basic = (user = sim.info.username, pass = sim.info.password) =>
    `KSCBasic user="${b64(user)}", pass="${b64(pass)}", internal="1"`;

  test('Authorization variants real clients send are all accepted; bad credentials get 401', async () => {
    const { username: u, password: p } = sim.info;
    for (const auth of [
      `KSCBasic user="${b64(u)}", pass="${b64(p)}", domain="", internal="1"`,
      `KSCBasic user="${b64(u)}", pass="${b64(p)}"`,
      `KSCBasic pass="${b64(p)}",user="${b64(u)}", internal=true`,
      `KSCBasic user=${b64(u)}, pass=${b64(p)}, internal="0"`,
    ]) {
      const res = await post('Session.StartSession', { authorization: auth });
      expect(res.status).toBe(200);
      expect(res.json.PxgRetVal).toMatch(/^n/);
    }
    expect((await post('Session.StartSession', { authorization: basic(u, 'wrong') })).status).toBe(401);
    expect((await post('Session.StartSession')).status).toBe(401);
    expect((await post('HostGroup.FindHosts', {}, {})).status).toBe(401);
  });

  test('session: ping, end → 403, expiry → 401', async () => {
    const token = (await post('Session.StartSession', { authorization: basic() })).json.PxgRetVal;
    expect(await post('Session.Ping', { 'x-ksc-session': token })).toMatchObject({ status: 200, json: {} });
    expect((await post('Session.EndSession', { 'x-ksc-session': token })).status).toBe(200);
    expect((await post('Session.Ping', { 'x-ksc-session': token })).status).toBe(403);
    const other = (await post('Session.StartSession', { authorization: basic() })).json.PxgRetVal;
    sim.expireSessions();
    expect((await post('Session.Ping', { 'x-ksc-session': other })).status).toBe(401);
  });

  test('connection-bound /login, then methods on the same connection without a session header', async () => {
    expect((await post('login', { authorization: basic(), 'x-ksc-vserver': '' })).status).toBe(200);
    const res = await post(
      'HostGroup.FindHosts',
      {},
      { wstrFilter: null, vecFieldsToReturn: ['KLHST_WKS_DN'], lMaxLifeTime: 60 },
    );
    expect(res.json).toMatchObject({ strAccessor: expect.any(String), PxgRetVal: expect.any(Number) });
    await post('ChunkAccessor.Release', {}, { strAccessor: res.json.strAccessor });
  });

  test('FindHosts → chunks with typed values → release; PxgError with KSC texts', async () => {
    const token = (await post('Session.StartSession', { authorization: basic() })).json.PxgRetVal;
    const h = { 'x-ksc-session': token };
    const found = await post('HostGroup.FindHosts', h, {
      wstrFilter: '(KLHST_WKS_DN="WS-*")',
      vecFieldsToReturn: ['KLHST_WKS_HOSTNAME', 'KLHST_WKS_DN', 'KLHST_WKS_LAST_VISIBLE'],
      vecFieldsToOrder: [{ type: 'params', value: { Name: 'KLHST_WKS_DN', Asc: true } }],
      lMaxLifeTime: 600,
    });
    expect(found.json.PxgRetVal).toBeGreaterThan(0);
    expect(sim.server.stats().open).toMatchObject({ accessors: 1 });
    const chunk = await post('ChunkAccessor.GetItemsChunk', h, {
      strAccessor: found.json.strAccessor,
      nStart: 0,
      nCount: 2,
    });
    expect(chunk.json.PxgRetVal).toBe(2);
    expect(chunk.json.pChunk.KLCSP_ITERATOR_ARRAY[0]).toEqual({
      type: 'params',
      value: {
        KLHST_WKS_HOSTNAME: expect.any(String),
        KLHST_WKS_DN: expect.stringMatching(/^WS-/),
        KLHST_WKS_LAST_VISIBLE: { type: 'datetime', value: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) },
      },
    });
    await post('ChunkAccessor.Release', h, { strAccessor: found.json.strAccessor });
    expect(sim.server.stats().open).toMatchObject({ accessors: 0 });

    const bad = await post('HostGroup.FindHosts', h, { wstrFilter: '(ol="x")', vecFieldsToReturn: [] });
    expect(bad.status).toBe(200);
    expect(bad.json.PxgError).toMatchObject({
      code: expect.any(Number),
      module: 'KLSTD',
      message: "Pos 1. Unknown attribute 'ol'.",
    });
    expect((await post('Tasks.GetTaskStatistics', h, { strTask: '1111' })).json.PxgError.message).toBe(
      'Task #1111 was not found.',
    );
    expect((await post('Tasks.GetTaskData', h, { strTask: 'x' })).json.PxgError.message).toBe(
      'Bad parameter "strTask".',
    );
    expect(
      (await post('Tasks.GetAllTasksOfHost', h, { strDomainName: '', strHostName: 'nope' })).json.PxgError.message,
    ).toBe('Bad parameter "strHostName".');
    expect(
      (
        await post('QBTNetworkListApi.AddListItemsTask', h, {
          listName: 'Quarantine',
          pItemsIds: [999999],
          taskName: 'RestoreObj',
          pTaskParams: {},
        })
      ).json.PxgError.message,
    ).toBe("Wrong identificator of the list's item.");
    await post('Session.EndSession', h);
  });
});
