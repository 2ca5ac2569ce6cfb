import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { JWK } from 'jose';

import { startTestGateway } from '../helpers/gateway';
import { TestIdentityProvider } from '../helpers/tokens';

/** The identity provider's key set over HTTP (loopback), as AUTH_JWKS_URL fetches it; `served()` is read per fetch. */
async function jwksServer(served: () => { keys: JWK[] }) {
  let fetches = 0;
  const server = http.createServer((req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return { url, fetches: () => fetches, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('AUTH_JWKS_URL', () => {
  test('tokens are verified against the fetched key set, which is cached', async () => {
    const idp = await TestIdentityProvider.get();
    const keys = await jwksServer(() => idp.jwks);
    const gw = await startTestGateway({ env: { AUTH_JWKS_FILE: '', AUTH_JWKS_URL: keys.url } });
    try {
      for (let i = 0; i < 5; i++) expect((await gw.gqlRaw('{ upstreams { upstream } }')).status).toBe(200);
      expect(keys.fetches()).toBe(1);
      const rogue = await TestIdentityProvider.create('rogue-kid');
      const refused = await gw.gqlRaw('{ upstreams { upstream } }', {}, await rogue.bearer());
      expect(refused.status).toBe(401);
    } finally {
      await gw.stop();
      await keys.close();
    }
  });

  describe('key rotation at the provider', () => {
    const QUERY = '{ upstreams { upstream } }';
    // Only Date is faked: jose's refetch cooldown and the gateway's memory of verified tokens
    // follow the clock, while sockets and timers stay real.
    const clock = () =>
      jest.useFakeTimers({
        now: Date.now(),
        doNotFake: [
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'setImmediate',
          'clearImmediate',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'clearTimeout',
        ],
      });
    const later = (ms: number) => jest.setSystemTime(Date.now() + ms);
    afterEach(() => jest.useRealTimers());

    async function rotation() {
      const old = await TestIdentityProvider.get();
      const next = await TestIdentityProvider.create('rotated-key-2');
      let served: { keys: JWK[] } = old.jwks;
      const keys = await jwksServer(() => served);
      const gw = await startTestGateway({ env: { AUTH_JWKS_FILE: '', AUTH_JWKS_URL: keys.url } });
      clock();
      const rotate = () => (served = { keys: [...old.jwks.keys, ...next.jwks.keys] });
      const stop = async () => {
        await gw.stop();
        await keys.close();
      };
      return { old, next, keys, gw, rotate, stop };
    }

    test('a token signed by a new key (a kid the cached set lacks) makes the gateway fetch the set again, and is accepted', async () => {
      const { old, next, keys, gw, rotate, stop } = await rotation();
      try {
        expect((await gw.gqlRaw(QUERY, {}, await old.bearer({ subject: 'before-rotation' }))).status).toBe(200);
        expect(keys.fetches()).toBe(1);
        later(5 * 60_000);
        rotate();
        const bearer = await next.bearer({ role: 'viewer', subject: 'after-rotation' });
        expect(await gw.gqlRaw(QUERY, {}, bearer)).toEqual({
          status: 200,
          body: { data: { upstreams: [{ upstream: 'MDR' }, { upstream: 'KSC' }, { upstream: 'KATA' }] } },
        });
        expect(keys.fetches()).toBe(2);
        // The new set is cached: more tokens of either key cost no fetch.
        expect((await gw.gqlRaw(QUERY, {}, await next.bearer({ subject: 'after-rotation-2' }))).status).toBe(200);
        expect((await gw.gqlRaw(QUERY, {}, await old.bearer({ subject: 'old-key-still-served' }))).status).toBe(200);
        expect(keys.fetches()).toBe(2);
      } finally {
        await stop();
      }
    });

    test('within 30 s of the last fetch an unknown kid is refused without a fetch; the refusal is not remembered, so after the cooldown the same token is accepted', async () => {
      const { old, next, keys, gw, rotate, stop } = await rotation();
      try {
        expect((await gw.gqlRaw(QUERY, {}, await old.bearer())).status).toBe(200);
        rotate();
        const token = await next.bearer({ subject: 'too-early' });
        const refused = await gw.gqlRaw(QUERY, {}, token);
        expect(refused).toEqual({
          status: 401,
          body: {
            errors: [
              {
                message: 'The token is not signed by a trusted key.',
                extensions: { code: 'UNAUTHENTICATED', reason: 'signature' },
              },
            ],
          },
        });
        expect((await gw.gqlRaw(QUERY, {}, token)).status).toBe(401);
        expect(keys.fetches()).toBe(1);

        later(31_000);
        expect((await gw.gqlRaw(QUERY, {}, token)).status).toBe(200);
        expect(keys.fetches()).toBe(2);
      } finally {
        await stop();
      }
    });

    test('a kid the provider does not serve stays refused after the refetch, and a burst of them costs one fetch', async () => {
      const { old, keys, gw, stop } = await rotation();
      try {
        expect((await gw.gqlRaw(QUERY, {}, await old.bearer())).status).toBe(200);
        later(31_000);
        const rogue = await TestIdentityProvider.create('never-served');
        for (let i = 0; i < 5; i++) {
          const { status, body } = await gw.gqlRaw(QUERY, {}, await rogue.bearer({ subject: `rogue-${i}` }));
          expect(status).toBe(401);
          expect(body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'signature' });
        }
        expect(keys.fetches()).toBe(2);
      } finally {
        await stop();
      }
    });

    test('a token the gateway remembers as verified is still refused once it expires', async () => {
      const { old, keys, gw, stop } = await rotation();
      try {
        const token = await old.bearer({ subject: 'short-lived', expiresIn: 10 });
        expect((await gw.gqlRaw(QUERY, {}, token)).status).toBe(200);
        later(5_000);
        expect((await gw.gqlRaw(QUERY, {}, token)).status).toBe(200);
        // Past exp plus the 30 s clock tolerance, well within the minute a verified token is trusted.
        later(36_000);
        const { status, body } = await gw.gqlRaw(QUERY, {}, token);
        expect(status).toBe(401);
        expect(body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'expired' });
        expect(keys.fetches()).toBe(1);
      } finally {
        await stop();
      }
    });
  });

  test('an unreachable key set is the provider’s fault: 503, not 401', async () => {
    const idp = await TestIdentityProvider.get();
    const keys = await jwksServer(() => idp.jwks);
    await keys.close();
    const gw = await startTestGateway({ env: { AUTH_JWKS_FILE: '', AUTH_JWKS_URL: keys.url } });
    try {
      const { status, body } = await gw.gqlRaw('{ upstreams { upstream } }');
      expect(status).toBe(503);
      expect(body).toEqual({
        errors: [
          {
            message: "The identity provider's key set cannot be fetched.",
            extensions: { code: 'UPSTREAM_UNAVAILABLE' },
          },
        ],
      });
    } finally {
      await gw.stop();
    }
  });
});
