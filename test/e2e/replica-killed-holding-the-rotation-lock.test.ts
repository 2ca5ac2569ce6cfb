import { writeFileSync } from 'node:fs';

import { startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { startRedis } from '../helpers/redis';
import type { TestRedis } from '../helpers/redis';
import { buildOnce, eventually, startReplica, writeRefreshToken } from '../helpers/replicas';
import type { Replica } from '../helpers/replicas';

const QUERY = '{ assets(first: 1) { nodes { assetId } } }';
/** Short, so the survivor's wait for the dead holder's lock stays short. */
const LOCK = { MDR_ROTATION_LOCK_MS: '2000' };

describe('a replica killed (SIGKILL) while it holds the MDR rotation lock', () => {
  let redis: TestRedis;
  let sim: MdrSimulator;
  const running: Replica[] = [];

  beforeAll(async () => {
    buildOnce();
    [redis, sim] = await Promise.all([startRedis(), startSmallMdr()]);
  }, 180_000);
  afterEach(async () => {
    sim.routes.releaseConfirms();
    await Promise.all(running.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await sim?.close();
    await redis?.stop();
  });

  const start = async (refreshTokenFile: string) => {
    const replica = await startReplica({ sim, redisUrl: redis.url, refreshTokenFile, env: LOCK });
    running.push(replica);
    return replica;
  };

  /** Replica `a` starts a rotation and is killed while its session/confirm is held. */
  const killMidRotation = async (a: Replica, spend: boolean) => {
    const { heldConfirms, droppedConfirms } = sim.routes;
    sim.routes.holdConfirms(spend);
    sim.expireAccessTokens();
    const lost = a.gql(QUERY).catch(() => undefined);
    await eventually(async () => sim.routes.heldConfirms > heldConfirms);
    await a.kill();
    await lost;
    // Unspent, the held call is dropped once the simulator sees its client gone.
    if (!spend) await eventually(async () => sim.routes.droppedConfirms > droppedConfirms);
    sim.routes.releaseConfirms();
  };

  test('before MDR took the token: the other replica renews once the lock expires; restarted, both serve; nothing lost', async () => {
    const file = await writeRefreshToken(sim);
    const [a, b] = [await start(file), await start(file)];
    expect((await a.gql(QUERY)).body.errors).toBeUndefined();
    expect((await b.gql(QUERY)).body.errors).toBeUndefined();
    sim.server.resetStats();

    await killMidRotation(a, false);
    const fromB = await b.gql(QUERY);
    expect(fromB.status).toBe(200);
    expect(fromB.body.errors).toBeUndefined();
    // The dead replica's confirm (never processed) and the survivor's.
    expect(sim.server.callCount('session/confirm')).toBe(2);

    const restarted = await start(file);
    for (const replica of [restarted, b]) {
      const { body } = await replica.gql(QUERY);
      expect(body.errors).toBeUndefined();
    }
    expect(sim.server.callCount('session/confirm')).toBe(2);
    expect(sim.server.stats().counters).toEqual({ spentRefreshTokenPresentations: 0 });
  }, 60_000);

  test('after MDR spent the token and its answer never arrived: that one is lost, presented once, and a new token in the file brings both back', async () => {
    const file = await writeRefreshToken(sim);
    const [a, b] = [await start(file), await start(file)];
    expect((await a.gql(QUERY)).body.errors).toBeUndefined();
    expect((await b.gql(QUERY)).body.errors).toBeUndefined();
    sim.server.resetStats();

    await killMidRotation(a, true);
    const fromB = await b.gql(QUERY);
    expect(fromB.body.errors?.[0]).toMatchObject({ extensions: { code: 'UPSTREAM_AUTH_FAILED', upstream: 'MDR' } });
    expect(sim.server.stats().counters).toEqual({ spentRefreshTokenPresentations: 1 });
    for (let i = 0; i < 10; i++) {
      expect((await b.gql(QUERY)).body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_AUTH_FAILED');
    }
    expect(sim.server.callCount('session/confirm')).toBe(2);
    expect((await b.readyz()).upstreams).toEqual([expect.objectContaining({ upstream: 'MDR', session: 'lost' })]);
    expect(await b.metrics()).toMatch(/^gateway_mdr_session_lost 1$/m);

    // A restarted replica learns the loss from Redis and presents nothing.
    const restarted = await start(file);
    expect((await restarted.gql(QUERY)).body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_AUTH_FAILED');
    expect(sim.server.callCount('session/confirm')).toBe(2);

    // The Secret is updated: every replica sees the file change; one of them presents the new token.
    writeFileSync(file, `${await sim.issueRefreshToken('Gateway administrator')}\n`);
    for (const replica of [b, restarted]) {
      await eventually(async () => !(await replica.gql(QUERY)).body.errors);
    }
    expect(sim.server.callCount('session/confirm')).toBe(3);
    expect(sim.server.stats().counters).toEqual({ spentRefreshTokenPresentations: 1 });
  }, 60_000);
});
