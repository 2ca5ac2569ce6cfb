import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Agent, request } from 'undici';

import { loadConfig } from '../../src/config/load';
import { startSimulators } from '../../src/simulators/start-simulators';
import type { EstateSimulators } from '../../src/simulators/start-simulators';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** `/_simulator/stats` over HTTP, as docs/operations.md promises it to tests and benchmarks. */
describe('GET /_simulator/stats', () => {
  let sims: EstateSimulators;
  let agents: { mdr: Agent; ksc: Agent; kata: Agent };

  beforeAll(async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'simulator-stats-'));
    sims = await startSimulators(loadConfig({ SIM_SCALE: '0.05' }).simulators, stateDir);
    const { ksc, kata } = sims.info;
    agents = {
      mdr: new Agent({ keepAliveTimeout: 10 }),
      ksc: new Agent({ keepAliveTimeout: 10, connect: { ca: readFileSync(ksc.caFile) } }),
      // The client certificate only for KATA's vendor paths: stats need none.
      kata: new Agent({
        keepAliveTimeout: 10,
        connect: { ca: readFileSync(kata.caFile), cert: readFileSync(kata.certFile), key: readFileSync(kata.keyFile) },
      }),
    };
  });
  afterAll(async () => {
    await Promise.all(Object.values(agents ?? {}).map((agent) => agent.close()));
    await sims?.close();
  });
  beforeEach(() => {
    for (const sim of [sims.mdr, sims.ksc, sims.kata]) sim.server.resetStats();
  });

  async function stats(upstream: 'mdr' | 'ksc' | 'kata'): Promise<unknown> {
    const res = await request(`${new URL(sims.info[upstream].url).origin}/_simulator/stats`, {
      dispatcher: agents[upstream],
    });
    return { status: res.statusCode, body: await res.body.json() };
  }

  async function post(upstream: 'mdr' | 'ksc', url: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await request(url, {
      method: 'POST',
      dispatcher: agents[upstream],
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.statusCode, json: (await res.body.json()) as Record<string, any> };
  }

  test('every simulator answers with calls and open {sessions, accessors, iterators}, zero at rest', async () => {
    expect(await stats('mdr')).toEqual({
      status: 200,
      body: {
        calls: {},
        open: { sessions: 0, accessors: 0, iterators: 0, refreshTokens: sims.info.mdr.connections.length },
        counters: { spentRefreshTokenPresentations: 0 },
      },
    });
    expect(await stats('ksc')).toEqual({
      status: 200,
      body: { calls: {}, open: { sessions: 0, accessors: 0, iterators: 0 } },
    });
    expect(await stats('kata')).toEqual({
      status: 200,
      body: { calls: {}, open: { sessions: 0, accessors: 0, iterators: 0, tasks: 0, pendingApprovals: 0 } },
    });
  });

  test('MDR: a session is what session/confirm opened, until its access token stops working', async () => {
    const { url, clientId, connections } = sims.info.mdr;
    const confirm = await post('mdr', `${url}/${clientId}/session/confirm`, {
      refresh_token: connections[0]!.refreshToken,
    });
    expect(confirm.status).toBe(200);
    // The used refresh token is dead, its successor is live: still one per connection.
    expect(await stats('mdr')).toEqual({
      status: 200,
      body: {
        calls: { 'session/confirm': 1 },
        open: { sessions: 1, accessors: 0, iterators: 0, refreshTokens: connections.length },
        counters: { spentRefreshTokenPresentations: 0 },
      },
    });
    sims.mdr.expireAccessTokens();
    expect(await stats('mdr')).toMatchObject({ body: { open: { sessions: 0, accessors: 0, iterators: 0 } } });
  });

  test('KSC: sessions and accessors follow StartSession, FindHosts, ChunkAccessor.Release and EndSession', async () => {
    const { url, username, password } = sims.info.ksc;
    const api = (method: string) => `${url}/api/v1.0/${method}`;
    const started = await post(
      'ksc',
      api('Session.StartSession'),
      {},
      {
        authorization: `KSCBasic user="${b64(username)}", pass="${b64(password)}", internal="1"`,
      },
    );
    const session = { 'x-ksc-session': started.json.PxgRetVal as string };
    const found = await post(
      'ksc',
      api('HostGroup.FindHosts'),
      { wstrFilter: '', vecFieldsToReturn: ['KLHST_WKS_DN'], lMaxLifeTime: 60 },
      session,
    );
    expect(found.status).toBe(200);
    expect(await stats('ksc')).toEqual({
      status: 200,
      body: {
        calls: { 'Session.StartSession': 1, 'HostGroup.FindHosts': 1 },
        open: { sessions: 1, accessors: 1, iterators: 0 },
      },
    });
    await post('ksc', api('ChunkAccessor.Release'), { strAccessor: found.json.strAccessor }, session);
    expect(await stats('ksc')).toMatchObject({ body: { open: { sessions: 1, accessors: 0, iterators: 0 } } });
    await post('ksc', api('Session.EndSession'), {}, session);
    expect(await stats('ksc')).toMatchObject({ body: { open: { sessions: 0, accessors: 0, iterators: 0 } } });
  });

  test("SIM_LATENCY_MS is a call's answer time: its work is done as the latency starts, the answer waits for it", async () => {
    const { url, username, password } = sims.info.ksc;
    // Far longer than the test: the session must open long before the answer is due.
    sims.ksc.server.latencyMs = 600_000;
    const cancel = new AbortController();
    let settled = false;
    const starting = request(`${url}/api/v1.0/Session.StartSession`, {
      method: 'POST',
      dispatcher: agents.ksc,
      signal: cancel.signal,
      headers: {
        'content-type': 'application/json',
        authorization: `KSCBasic user="${b64(username)}", pass="${b64(password)}", internal="1"`,
      },
      body: '{}',
    }).then(
      () => (settled = true),
      () => (settled = true),
    );
    try {
      for (let polls = 0; sims.ksc.server.stats().open.sessions === 0; polls++) {
        if (polls > 2_000) throw new Error('StartSession did its work only after the latency');
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(settled).toBe(false);
    } finally {
      sims.ksc.server.latencyMs = 0;
      cancel.abort();
      await starting;
    }
  });

  test('KATA: no sessions or result sets after vendor calls (client certificates, no state), its own counts alongside', async () => {
    const { url, externalSystemId } = sims.info.kata;
    const res = await request(`${url}/kata/response_api/v1/${externalSystemId}/sensors`, { dispatcher: agents.kata });
    await res.body.dump();
    expect(res.statusCode).toBe(200);
    expect(await stats('kata')).toEqual({
      status: 200,
      body: {
        calls: { 'GET sensors': 1 },
        open: { sessions: 0, accessors: 0, iterators: 0, tasks: 0, pendingApprovals: 0 },
      },
    });
  });
});
