import { gatewayAuthChecker } from '../../src/auth/auth-checker';
import { callerFromClaims } from '../../src/auth/jwt-authenticator';
import { requiredRole } from '../../src/auth/permissions';
import { TokenBucketRateLimiter } from '../../src/auth/rate-limiter';
import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load';
import type { Role } from '../../src/domain/caller';
import type { Context } from '../../src/graph/context';

const claims = { rolesClaim: 'roles', tenantsClaim: 'tenants' };

describe('caller from token claims', () => {
  test('roles: arrays or space/comma separated strings; unknown roles dropped', () => {
    expect(callerFromClaims({ sub: 'a', roles: ['viewer', 'root'] }, claims)).toEqual({
      subject: 'a',
      roles: ['viewer'],
      tenants: [],
    });
    expect(callerFromClaims({ sub: 'a', roles: 'viewer security_officer' }, claims).roles).toEqual([
      'viewer',
      'security_officer',
    ]);
    expect(callerFromClaims({ sub: 'a' }, claims).roles).toEqual([]);
  });

  test('tenants: present (even empty) limits the caller; * grants every tenant', () => {
    expect(callerFromClaims({ sub: 'a', tenants: ['acme'] }, claims).tenants).toEqual(['acme']);
    expect(callerFromClaims({ sub: 'a', tenants: ['acme', '*'] }, claims).tenants).toBeNull();
    expect(callerFromClaims({ sub: 'a', tenants: [] }, claims).tenants).toEqual([]);
    expect(callerFromClaims({ sub: 'a', tenants: 'acme,globex' }, claims).tenants).toEqual(['acme', 'globex']);
  });

  test('tenants absent: every tenant only for a role in AUTH_ALL_TENANTS_ROLES (or stronger), else none', () => {
    const caller = (roles: string[], allTenantsRoles?: Role[]) =>
      callerFromClaims({ sub: 'a', roles }, { ...claims, allTenantsRoles }).tenants;
    expect(caller(['administrator'])).toBeNull();
    expect(caller(['senior_security_officer'])).toEqual([]);
    expect(caller(['viewer'], ['security_officer'])).toEqual([]);
    expect(caller(['senior_security_officer'], ['security_officer'])).toBeNull();
    expect(caller([], ['viewer'])).toEqual([]);
  });

  test('nested claims by dotted path (Keycloak realm_access.roles)', () => {
    const caller = callerFromClaims(
      { sub: 'a', realm_access: { roles: ['administrator'] } },
      { ...claims, rolesClaim: 'realm_access.roles' },
    );
    expect(caller.roles).toEqual(['administrator']);
  });
});

describe('permission table', () => {
  test('deny by default: an unknown mutation needs administrator, queries need viewer', () => {
    expect(requiredRole('Mutation', 'dropEverything')).toBe('administrator');
    expect(requiredRole('Query', 'hosts')).toBe('viewer');
    expect(requiredRole('Mutation', 'addIncidentComment')).toBe('security_officer');
    expect(requiredRole('Mutation', 'updateResponses')).toBe('senior_security_officer');
  });
});

describe('token bucket', () => {
  test('allows the burst, then the sustained rate, per key', async () => {
    let now = 0;
    const limiter = new TokenBucketRateLimiter({ perMinute: 60, burst: 2, now: () => now });
    expect(await limiter.take('a')).toEqual({ allowed: true });
    expect(await limiter.take('a')).toEqual({ allowed: true });
    expect(await limiter.take('a')).toEqual({ allowed: false, retryAfterS: 1 });
    expect(await limiter.take('b')).toEqual({ allowed: true });
    now += 1_000;
    expect(await limiter.take('a')).toEqual({ allowed: true });
    expect((await limiter.take('a')).allowed).toBe(false);
  });

  test('keeps a bounded number of callers', async () => {
    const limiter = new TokenBucketRateLimiter({ perMinute: 60, burst: 1, maxKeys: 2 });
    await limiter.take('a');
    await limiter.take('b');
    await limiter.take('c');
    // 'a' was forgotten (least recently used), so it starts with a full bucket again.
    expect(await limiter.take('a')).toEqual({ allowed: true });
  });
});

describe('auth settings', () => {
  const failure = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
    }
    throw new Error('accepted');
  };
  test.each([
    [{ AUTH_JWKS_URL: 'https://idp.example/jwks' }, 'Invalid setting AUTH_ISSUER: is required with AUTH_JWKS_URL.'],
    [
      { AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'i' },
      'Invalid setting AUTH_AUDIENCE: is required with AUTH_JWKS_URL.',
    ],
    [
      { AUTH_JWKS_URL: 'http://idp.example/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' },
      'Invalid setting AUTH_JWKS_URL: must be https (plain http only on loopback).',
    ],
    // Names that merely start like a loopback address are ordinary host names, anywhere on the network.
    [
      { AUTH_JWKS_URL: 'http://127.0.0.1.idp.example/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' },
      'Invalid setting AUTH_JWKS_URL: must be https (plain http only on loopback).',
    ],
    [
      { AUTH_JWKS_URL: 'http://127.idp.example/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' },
      'Invalid setting AUTH_JWKS_URL: must be https (plain http only on loopback).',
    ],
    [
      { AUTH_ALGORITHMS: 'RS256,HS256' },
      expect.stringContaining('Invalid setting AUTH_ALGORITHMS: only asymmetric algorithms are accepted'),
    ],
    [
      { AUTH_DISABLED: 'true', AUTH_JWKS_FILE: '/x', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' },
      'Invalid setting AUTH_DISABLED: is true but AUTH_JWKS_FILE is set; choose one.',
    ],
  ])('%j is refused', (env, message) => {
    expect(failure(env)).toEqual(message);
  });

  test.each(['http://127.0.0.1:8080/jwks', 'http://127.0.0.2/jwks', 'http://[::1]:8080/jwks', 'http://localhost/jwks'])(
    'plain http to loopback is accepted: %s',
    (url) => {
      expect(loadConfig({ AUTH_JWKS_URL: url, AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }).auth.jwksUrl).toBe(url);
    },
  );
});

describe('type-graphql auth checker (@Authorized)', () => {
  const check = (roles: Role[], required: string[]) =>
    gatewayAuthChecker(
      {
        context: { caller: { subject: 's', roles, tenants: null } } as unknown as Context,
        root: {},
        args: {},
        info: {} as never,
      },
      required,
    );

  test('a stronger role satisfies a weaker requirement; a weaker one is FORBIDDEN', () => {
    expect(check(['administrator'], ['security_officer'])).toBe(true);
    expect(check(['senior_security_officer'], ['security_officer', 'administrator'])).toBe(true);
    expect(() => check(['viewer'], ['security_officer'])).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  test('@Authorized() without roles needs any gateway role', () => {
    expect(check(['viewer'], [])).toBe(true);
    expect(check([], [])).toBe(false);
  });
});
