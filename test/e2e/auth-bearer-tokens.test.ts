import { SignJWT, base64url, exportSPKI, importJWK } from 'jose';
import type { CryptoKey } from 'jose';

import { startEdgeEstate } from '../helpers/edge';
import type { EdgeEstate } from '../helpers/edge';
import { TEST_AUDIENCE, TEST_ISSUER, TestIdentityProvider } from '../helpers/tokens';

const QUERY = '{ hosts(first: 2) { nodes { name } } sensors { sensorId } }';

describe('bearer tokens at the gateway edge', () => {
  let estate: EdgeEstate;
  let idp: TestIdentityProvider;

  beforeAll(async () => {
    estate = await startEdgeEstate();
    idp = estate.gw.idp;
  });
  afterAll(() => estate?.stop());
  beforeEach(() => estate.resetCalls());

  async function post(headers: Record<string, string>) {
    const response = await fetch(estate.gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: QUERY }),
    });
    return {
      status: response.status,
      wwwAuthenticate: response.headers.get('www-authenticate'),
      body: (await response.json()) as any,
    };
  }

  test('a valid token gets data, and the upstreams are called', async () => {
    const { status, body } = await post(await idp.bearer({ role: 'viewer', tenants: ['*'] }));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.hosts.nodes).toHaveLength(2);
    expect(estate.upstreamCalls()).toBeGreaterThan(0);
  });

  test('no token: 401 with WWW-Authenticate: Bearer and no upstream call', async () => {
    const { status, wwwAuthenticate, body } = await post({});
    expect(status).toBe(401);
    expect(wwwAuthenticate).toBe('Bearer');
    expect(body).toEqual({
      errors: [
        {
          message: 'A bearer token is required (Authorization: Bearer <token>).',
          extensions: { code: 'UNAUTHENTICATED', reason: 'invalid_token' },
        },
      ],
    });
    expect(estate.upstreamCalls()).toBe(0);
  });

  const unsigned = (claims: Record<string, unknown>, header: Record<string, unknown>) =>
    `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(claims))}.`;

  const refusals: [string, () => Promise<string>, string][] = [
    ['expired', () => idp.token({ role: 'administrator', expiresIn: -120 }), 'expired'],
    ['not yet valid', () => idp.token({ role: 'administrator', notBefore: 600 }), 'not_yet_valid'],
    [
      'from another issuer',
      () => idp.token({ role: 'administrator', issuer: 'https://evil.example/' }),
      'wrong_issuer',
    ],
    ['for another audience', () => idp.token({ role: 'administrator', audience: 'some-other-app' }), 'wrong_audience'],
    [
      'signed by an unknown key with the trusted kid',
      async () => {
        const other = await TestIdentityProvider.create(idp.kid);
        return other.token({ role: 'administrator' });
      },
      'signature',
    ],
    [
      'signed by an unknown key with its own kid',
      async () => (await TestIdentityProvider.create('rogue')).token({ role: 'administrator' }),
      'signature',
    ],
    [
      'with alg "none"',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return unsigned(
          { sub: 'mallory', roles: ['administrator'], iss: TEST_ISSUER, aud: TEST_AUDIENCE, iat: now, exp: now + 600 },
          { alg: 'none', typ: 'JWT' },
        );
      },
      'algorithm',
    ],
    [
      'HS256-signed with the public key as the secret',
      async () => {
        const pem = await exportSPKI((await importJWK(idp.publicJwk, 'ES256', { extractable: true })) as CryptoKey);
        return new SignJWT({ roles: ['administrator'] })
          .setProtectedHeader({ alg: 'HS256', kid: idp.kid })
          .setIssuer(TEST_ISSUER)
          .setAudience(TEST_AUDIENCE)
          .setSubject('mallory')
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(new TextEncoder().encode(pem));
      },
      'algorithm',
    ],
    [
      'with a tampered payload',
      async () => {
        const [header, , signature] = (await idp.token({ role: 'viewer' })).split('.');
        const now = Math.floor(Date.now() / 1000);
        const payload = base64url.encode(
          JSON.stringify({
            sub: 'test-viewer',
            roles: ['administrator'],
            iss: TEST_ISSUER,
            aud: TEST_AUDIENCE,
            exp: now + 600,
          }),
        );
        return `${header}.${payload}.${signature}`;
      },
      'signature',
    ],
    ['that is not a JWT', async () => 'not-a-jwt', 'invalid_token'],
    ['without a subject', () => idp.token({ role: 'administrator', claims: { sub: undefined } }), 'invalid_token'],
  ];

  test.each(refusals)('a token %s: 401 invalid_token and no upstream call', async (_name, make, reason) => {
    const { status, wwwAuthenticate, body } = await post({ authorization: `Bearer ${await make()}` });
    expect(status).toBe(401);
    expect(wwwAuthenticate).toMatch(/^Bearer error="invalid_token"/);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', reason } }]);
    expect(estate.upstreamCalls()).toBe(0);
  });

  test('another scheme than Bearer: 401', async () => {
    const { status, body } = await post({ authorization: 'Basic YWRtaW46YWRtaW4=' });
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(estate.upstreamCalls()).toBe(0);
  });

  test('a valid token with no gateway role: 403 FORBIDDEN, no upstream call', async () => {
    const { status, body } = await post(await idp.bearer({ role: [], subject: 'no-roles' }));
    expect(status).toBe(403);
    expect(body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    ]);
    expect(body.data).toBeUndefined();
    expect(estate.upstreamCalls()).toBe(0);
  });

  test('roles the gateway does not know are ignored, known ones count', async () => {
    const { status, body } = await post(await idp.bearer({ claims: { roles: ['superuser', 'viewer'] } }));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  test('a clock skew within the tolerance is accepted', async () => {
    const { status } = await post(await idp.bearer({ role: 'viewer', notBefore: 10 }));
    expect(status).toBe(200);
  });
});
