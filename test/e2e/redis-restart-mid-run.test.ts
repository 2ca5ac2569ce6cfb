import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { startRedis } from '../helpers/redis';
import type { TestRedis } from '../helpers/redis';
import { eventually } from '../helpers/replicas';

const QUERY = '{ assets(first: 1) { nodes { assetId } } }';

const readyz = async (gw: TestGateway) =>
  (await (await fetch(`${gw.origin}/readyz`)).json()) as { redis: { ready: boolean; connected: boolean } };

describe('the shared Redis restarted while two replicas serve', () => {
  let redis: TestRedis;
  let sim: MdrSimulator;
  const gateways: TestGateway[] = [];

  beforeAll(async () => {
    [redis, sim] = await Promise.all([startRedis(), startSmallMdr()]);
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await sim?.close();
    await redis?.stop();
  });

  test('requests that need no rotation go on; a rotation waits for Redis and resumes; nothing is lost', async () => {
    const mdr = { ...mdrSettings(sim), refreshToken: await sim.issueRefreshToken('Gateway administrator') };
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'restart-test:' };
    gateways.push(await startTestGateway({ mdr, env }), await startTestGateway({ mdr, env }));
    const [a, b] = gateways as [TestGateway, TestGateway];
    await a.gql(QUERY);
    await b.gql(QUERY);
    expect(sim.server.callCount('session/confirm')).toBe(1);

    await redis.stop();
    // The access token is in memory and the rate limits count in memory meanwhile.
    for (let i = 0; i < 5; i++) await Promise.all([a.gql(QUERY), b.gql(QUERY)]);
    expect((await readyz(a)).redis).toMatchObject({ ready: true, connected: false });

    // MDR refuses the access token: renewing it needs the store, so both wait.
    sim.expireAccessTokens();
    const lists = sim.server.callCount('assets/list');
    const waiting = Promise.all([a.gqlRaw(QUERY), b.gqlRaw(QUERY)]);
    await eventually(async () => sim.server.callCount('assets/list') >= lists + 2);
    expect(sim.server.callCount('session/confirm')).toBe(1);
    await redis.start();

    for (const { status, body } of await waiting) {
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
    }
    expect(sim.server.callCount('session/confirm')).toBe(2);
    expect(sim.server.stats().counters).toEqual({ spentRefreshTokenPresentations: 0 });
    await eventually(async () => (await readyz(b)).redis.connected);
  }, 60_000);
});
