import { startMdrSimulator } from '../../src/upstreams/mdr/simulator';
import type { MdrSimulator } from '../../src/upstreams/mdr/simulator';
import { TEST_EPOCH_MS } from '../helpers/epoch';

describe('MDR simulator protocol', () => {
  let sim: MdrSimulator;
  let access: string;
  const post = async (endpoint: string, body: unknown, token = access) => {
    const res = await fetch(`${sim.info.url}/${sim.info.clientId}/${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    const started = Date.now();
    sim = await startMdrSimulator({ seed: 3, epochMs: TEST_EPOCH_MS });
    expect(Date.now() - started).toBeLessThan(2_000);
    const admin = sim.info.connections.find((c) => c.role === 'administrator' && c.tenants.length === 0)!;
    access = (await post('session/confirm', { refresh_token: admin.refreshToken }, '')).body.access_token;
  });
  afterAll(() => sim.close());

  it('describes itself as simulators.json expects', () => {
    expect(sim.info).toMatchObject({ url: expect.stringMatching(/\/api\/v1$/), clientId: expect.any(String) });
    expect(new Set(sim.info.connections.map((c) => c.role))).toEqual(
      new Set(['administrator', 'senior_security_officer', 'security_officer']),
    );
    expect(sim.info.connections.some((c) => c.tenants.length === 1)).toBe(true);
  });

  it('has the default data-set size, deterministic for the seed', async () => {
    expect((await post('incidents/count', {})).body).toEqual({ count: 10_000 });
    expect((await post('assets/count', {})).body.count).toBeGreaterThanOrEqual(2_000);
    const other = await startMdrSimulator({ seed: 3, epochMs: TEST_EPOCH_MS });
    try {
      expect(other.routes.incident(42)).toEqual(sim.routes.incident(42));
      expect(other.routes.incident(42)?.incident_number).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });

  it('lists are bare arrays, sorted and paged, with filters', async () => {
    const page = await post('incidents/list', {
      page: 2,
      page_size: 3,
      sort: 'creation_time:desc',
      priorities: ['HIGH'],
    });
    expect(page.status).toBe(200);
    expect(page.body).toHaveLength(3);
    expect(page.body.every((i: any) => i.priority === 'HIGH')).toBe(true);
    expect(page.body[0].creation_time).toBeGreaterThanOrEqual(page.body[1].creation_time);
    const assets = await post('assets/list', { host_names: [sim.routes.assets[0]!.host_name], page: 1, page_size: 10 });
    expect(assets.body.map((a: any) => a.asset_id)).toEqual([sim.routes.assets[0]!.asset_id]);
  });

  it('errors are non-2xx with {"error": "..."}', async () => {
    expect(await post('incidents/list', { page: 0 })).toEqual({ status: 400, body: { error: expect.any(String) } });
    expect(await post('incidents/list', { sort: 'summary:up' })).toMatchObject({ status: 400 });
    expect(await post('incidents/list', { page: 101, page_size: 100 })).toMatchObject({ status: 400 });
    expect(await post('incidents/details', { incident_id: 'nope' })).toMatchObject({ status: 404 });
    expect(await post('incidents/list', {}, 'garbage')).toMatchObject({ status: 401 });
    sim.expireAccessTokens();
    expect(await post('incidents/count', {})).toMatchObject({ status: 401 });
  });
});
