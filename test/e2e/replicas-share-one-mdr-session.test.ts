import { startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { startRedis } from '../helpers/redis';
import type { TestRedis } from '../helpers/redis';
import { buildOnce, startReplica, writeRefreshToken } from '../helpers/replicas';
import type { Replica } from '../helpers/replicas';

const QUERY = '{ assets(first: 1) { nodes { assetId } } }';
const LOAD_MS = 8_000;

/** A counter's value by its labels in a Prometheus text exposition. */
function counter(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('two gateway processes on one Redis, one MDR with 2-second access tokens', () => {
  let redis: TestRedis;
  let sim: MdrSimulator;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    buildOnce();
    [redis, sim] = await Promise.all([startRedis(), startSmallMdr({ accessTokenTtlS: 2 })]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await sim?.close();
    await redis?.stop();
  });

  test('under concurrent load: every request answered, no spent token presented, one chain of confirms for both', async () => {
    const refreshTokenFile = await writeRefreshToken(sim);
    replicas.push(await startReplica({ sim, redisUrl: redis.url, refreshTokenFile }));
    replicas.push(await startReplica({ sim, redisUrl: redis.url, refreshTokenFile }));
    const started = Date.now();
    const failures: unknown[] = [];
    let answered = 0;
    const worker = async (replica: Replica) => {
      while (Date.now() - started < LOAD_MS) {
        const { status, body } = await replica.gql(QUERY);
        if (status !== 200 || body.errors || body.data?.assets.nodes.length !== 1) failures.push({ status, body });
        else answered++;
      }
    };
    await Promise.all(replicas.flatMap((replica) => Array.from({ length: 6 }, () => worker(replica))));
    const elapsedS = (Date.now() - started) / 1000;

    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(100);
    const { calls, counters } = sim.server.stats();
    expect(counters).toEqual({ spentRefreshTokenPresentations: 0 });
    // Access tokens carry whole seconds (iat, exp): renewed before exp, a 2 s token is replaced
    // every second or so by one replica, where each replica on its own would rotate as often.
    const confirms = calls['session/confirm']!;
    expect(confirms).toBeGreaterThanOrEqual(Math.floor(elapsedS / 2));
    expect(confirms).toBeLessThanOrEqual(Math.ceil(elapsedS) + 2);
    const metrics = await Promise.all(replicas.map((r) => r.metrics()));
    const confirmed = metrics.map((m) => counter(m, 'gateway_mdr_session_renewals_total{outcome="confirmed"}'));
    const shared = metrics.map((m) => counter(m, 'gateway_mdr_session_renewals_total{outcome="shared"}'));
    expect(confirmed[0]! + confirmed[1]!).toBe(confirms);
    // Each replica used access tokens the other one had rotated.
    expect(Math.min(...shared)).toBeGreaterThan(0);
  }, 60_000);
});
