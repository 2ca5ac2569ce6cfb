import type { IncomingMessage } from 'node:http';

import { createLocalJWKSet, errors } from 'jose';
import type { JWTVerifyGetKey } from 'jose';

import { JwtAuthenticator } from '../../src/auth/jwt-authenticator';
import { TEST_AUDIENCE, TEST_ISSUER, TestIdentityProvider } from '../helpers/tokens';

// A token verified once is taken on trust for a while, but never past its exp, never for another
// token text, and never for longer than a minute (a withdrawn key stops working).

const settings = {
  issuer: TEST_ISSUER,
  audience: TEST_AUDIENCE,
  rolesClaim: 'roles',
  tenantsClaim: 'tenants',
  clockToleranceS: 5,
  algorithms: ['ES256'],
};
const request = (token: string) => ({ headers: { authorization: `Bearer ${token}` } }) as IncomingMessage;

let idp: TestIdentityProvider;
let keyLookups: number;
let keys: JWTVerifyGetKey;

beforeAll(async () => {
  idp = await TestIdentityProvider.get();
});
beforeEach(() => {
  keyLookups = 0;
  const local = createLocalJWKSet(idp.jwks);
  keys = (header, token) => {
    keyLookups++;
    return local(header, token);
  };
});
afterEach(() => jest.useRealTimers());

test('the same token again is not verified again, and gives the same caller', async () => {
  const auth = new JwtAuthenticator(settings, keys);
  const token = await idp.token({ role: 'viewer', tenant: 'acme' });
  const first = await auth.authenticate(request(token));
  const second = await auth.authenticate(request(token));
  expect(second).toEqual(first);
  expect(first).toEqual({ subject: 'test-viewer', roles: ['viewer'], tenants: ['acme'] });
  expect(keyLookups).toBe(1);
});

test('a remembered token is refused once it expires', async () => {
  jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  const auth = new JwtAuthenticator(settings, keys);
  const token = await idp.token({ expiresIn: 20 });
  await auth.authenticate(request(token));
  jest.setSystemTime(Date.now() + 26_000); // past exp + 5 s tolerance, within the minute
  await expect(auth.authenticate(request(token))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
});

test('after a minute the token is verified again, so a withdrawn key stops it', async () => {
  jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  let withdrawn = false;
  const auth = new JwtAuthenticator(settings, (header, token) => {
    keyLookups++;
    if (withdrawn) throw new errors.JWKSNoMatchingKey();
    return createLocalJWKSet(idp.jwks)(header, token);
  });
  const token = await idp.token({ expiresIn: 3600 });
  await auth.authenticate(request(token));
  withdrawn = true;
  jest.setSystemTime(Date.now() + 30_000);
  await expect(auth.authenticate(request(token))).resolves.toBeDefined();
  jest.setSystemTime(Date.now() + 31_000);
  await expect(auth.authenticate(request(token))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  expect(keyLookups).toBe(2);
});

test('a token differing in one signature character is verified, and refused', async () => {
  const auth = new JwtAuthenticator(settings, keys);
  const token = await idp.token();
  await auth.authenticate(request(token));
  const last = token.at(-2) === 'A' ? 'B' : 'A';
  const tampered = `${token.slice(0, -2)}${last}${token.at(-1)}`;
  await expect(auth.authenticate(request(tampered))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  expect(keyLookups).toBe(2);
});
