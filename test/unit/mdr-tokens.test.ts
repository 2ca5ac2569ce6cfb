import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { silentLogger } from '../../src/logger';
import { Transport } from '../../src/upstreams/transport';
import { startMdrSimulator } from '../../src/upstreams/mdr/simulator';
import type { MdrSimulator } from '../../src/upstreams/mdr/simulator';
import { FileTokenStore, MdrTokens } from '../../src/upstreams/mdr/tokens';
import type { RotationLease, StoredTokens, TokenStore } from '../../src/upstreams/mdr/tokens';

class MemoryStore implements TokenStore {
  saved: StoredTokens[] = [];
  async load() {
    return this.saved.at(-1);
  }
  async lock(): Promise<RotationLease> {
    return { save: async (tokens) => void this.saved.push(tokens), release: async () => undefined };
  }
  /** The access token of the last confirm answer saved. */
  lastAccess(): string | undefined {
    const confirm = this.saved.at(-1)?.confirm;
    return confirm ? (JSON.parse(confirm) as { access_token: string }).access_token : undefined;
  }
}

describe('MDR token manager', () => {
  let sim: MdrSimulator;
  let http: Transport;
  const base = () => `/api/v1/${sim.info.clientId}`;

  beforeAll(async () => {
    sim = await startMdrSimulator({ scale: 0.01 });
    http = new Transport({ upstream: 'mdr', origin: new URL(sim.url).origin, keepAliveTimeoutMs: 10 });
  });
  afterAll(async () => {
    await http.close();
    await sim.close();
  });
  beforeEach(() => sim.server.resetStats());

  const tokens = async (store: TokenStore, now?: () => number) =>
    new MdrTokens({
      http,
      basePath: base(),
      initialRefreshToken: await sim.issueRefreshToken('Gateway administrator'),
      store,
      logger: silentLogger,
      now,
    });

  it('shares one confirm between concurrent callers and saves the new refresh token before handing out the access token', async () => {
    const store = new MemoryStore();
    const t = await tokens(store);
    const got = await Promise.all(Array.from({ length: 20 }, () => t.access()));
    expect(new Set(got).size).toBe(1);
    expect(sim.server.callCount('session/confirm')).toBe(1);
    expect(store.saved).toHaveLength(1);
    expect(store.lastAccess()).toBe(got[0]);
  });

  it('renews once for many callers that saw the same rejected token', async () => {
    const t = await tokens(new MemoryStore());
    const first = await t.access();
    const renewed = await Promise.all(Array.from({ length: 10 }, () => t.renew(first)));
    expect(new Set(renewed).size).toBe(1);
    expect(renewed[0]).not.toBe(first);
    expect(await t.renew(first)).toBe(renewed[0]); // already renewed: no new confirm
    expect(sim.server.callCount('session/confirm')).toBe(2);
  });

  it('refreshes shortly before exp by the clock it is given', async () => {
    let now = Date.now();
    const t = await tokens(new MemoryStore(), () => now);
    const first = await t.access();
    now += 3_600_000 - 30_000; // inside the 60 s margin
    expect(await t.access()).not.toBe(first);
    expect(sim.server.callCount('session/confirm')).toBe(2);
  });

  it('a short-lived token is renewed in its last quarter, not before every call', async () => {
    let clock = Date.now();
    const short = await startMdrSimulator({ scale: 0.01, accessTokenTtlS: 8, now: () => clock });
    const shortHttp = new Transport({ upstream: 'mdr', origin: new URL(short.url).origin, keepAliveTimeoutMs: 10 });
    try {
      const t = new MdrTokens({
        http: shortHttp,
        basePath: `/api/v1/${short.info.clientId}`,
        initialRefreshToken: short.info.connections[0]!.refreshToken,
        store: new MemoryStore(),
        logger: silentLogger,
        now: () => clock,
      });
      const first = await t.access();
      clock += 5_000;
      expect(await t.access()).toBe(first);
      clock += 1_500; // 6.5 s of 8: inside the last quarter
      expect(await t.access()).not.toBe(first);
      expect(short.server.callCount('session/confirm')).toBe(2);
    } finally {
      await shortHttp.close();
      await short.close();
    }
  });

  it('a failed save is tried again before the access token is used; the chain is kept', async () => {
    const store = new MemoryStore();
    let failures = 2;
    const flaky: TokenStore = {
      load: () => store.load(),
      lock: async () => {
        const lease = await store.lock();
        return {
          ...lease,
          save: async (tokens) => {
            if (failures-- > 0) throw new Error('disk full');
            await lease.save(tokens);
          },
        };
      },
    };
    const t = await tokens(flaky);
    const access = await t.access();
    expect(store.lastAccess()).toBe(access);
    expect(failures).toBe(-1);
    expect(sim.server.callCount('session/confirm')).toBe(1);
  });

  it('a store that stays unwritable fails the call, and the next renewal writes the kept answer before anything else', async () => {
    const store = new MemoryStore();
    let broken = true;
    const flaky: TokenStore = {
      load: () => store.load(),
      lock: async () => {
        const lease = await store.lock();
        return {
          ...lease,
          save: async (tokens) => {
            if (broken) throw new Error('disk full');
            await lease.save(tokens);
          },
        };
      },
    };
    const t = new MdrTokens({
      http,
      basePath: base(),
      initialRefreshToken: await sim.issueRefreshToken('Gateway administrator'),
      store: flaky,
      logger: silentLogger,
      lockMs: 1_000,
    });
    await expect(t.access()).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    broken = false;
    const access = await t.access();
    expect(store.lastAccess()).toBe(access);
    expect(sim.server.callCount('session/confirm')).toBe(1);
  });

  it('the file store writes atomically with mode 0600, keyed per client id and connection', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mdr-store-'));
    const a = new FileTokenStore(dir, 'client-a', 'conn');
    const b = new FileTokenStore(dir, 'client-b', 'conn');
    const c = new FileTokenStore(dir, 'client-a', 'other');
    await a.save({ refreshToken: 'r1', accessToken: 'a1' });
    expect(await a.load()).toEqual({ refreshToken: 'r1', accessToken: 'a1' });
    expect(await b.load()).toBeUndefined();
    expect(await c.load()).toBeUndefined();
    expect(statSync(a.file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a newly configured refresh token wins over the stored chain of an older one', async () => {
    const store = new MemoryStore();
    await (await tokens(store)).access();
    const t2 = await tokens(store);
    await t2.access();
    expect(sim.server.callCount('session/confirm')).toBe(2);
  });
});
