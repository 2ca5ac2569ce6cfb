import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { startTestGateway } from '../helpers/gateway';
import { TestIdentityProvider } from '../helpers/tokens';

/** The identity provider's key set over HTTP (loopback), as AUTH_JWKS_URL fetches it. */
async function jwksServer(idp: TestIdentityProvider) {
  let fetches = 0;
  const server = http.createServer((req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(idp.jwks));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return { url, fetches: () => fetches, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('AUTH_JWKS_URL', () => {
  test('tokens are verified against the fetched key set, which is cached', async () => {
    const idp = await TestIdentityProvider.get();
    const keys = await jwksServer(idp);
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

  test('an unreachable key set is the provider’s fault: 503, not 401', async () => {
    const idp = await TestIdentityProvider.get();
    const keys = await jwksServer(idp);
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
