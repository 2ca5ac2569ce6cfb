import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { startRedis } from '../helpers/redis';
import type { TestRedis } from '../helpers/redis';

const LIMITS = {
  RATE_LIMIT_PER_MINUTE: '10',
  RATE_LIMIT_BURST: '10',
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '4',
  RATE_LIMIT_AUTH_FAILURES_BURST: '4',
};

describe('rate limits with two replicas', () => {
  let redis: TestRedis;
  const gateways: TestGateway[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await redis?.stop();
  });

  const pair = async (env: Record<string, string>) => {
    const started = [
      await startTestGateway({ env: { ...LIMITS, ...env } }),
      await startTestGateway({ env: { ...LIMITS, ...env } }),
    ];
    gateways.push(...started);
    return started as [TestGateway, TestGateway];
  };

  /** Statuses of `count` requests sent alternately to the two replicas. */
  const spread = async ([a, b]: [TestGateway, TestGateway], count: number, headers?: Record<string, string>) => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) statuses.push((await (i % 2 ? b : a).gqlRaw('{ __typename }', {}, headers)).status);
    return statuses;
  };

  test('with REDIS_URL, one allowance per caller and per address, whichever replica is asked', async () => {
    const replicas = await pair({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'rate-test:' });
    const statuses = await spread(replicas, 20);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual(Array(10).fill(429));

    const failures = await spread(replicas, 8, { authorization: 'Bearer not-a-token' });
    expect(failures).toEqual([401, 401, 401, 401, 429, 429, 429, 429]);
  });

  test('without it, each replica allows the whole rate (what Redis is for)', async () => {
    const statuses = await spread(await pair({}), 20);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
  });
});
