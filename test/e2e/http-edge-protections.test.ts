import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import { createLogger } from '../../src/logger';
import { startEdgeEstate } from '../helpers/edge';
import type { EdgeEstate } from '../helpers/edge';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

const INTROSPECTION = '{ __schema { queryType { name } } }';

describe('HTTP protections at the edge', () => {
  let estate: EdgeEstate;
  beforeAll(async () => {
    estate = await startEdgeEstate({
      env: {
        GRAPHQL_INTROSPECTION: 'false',
        CORS_ORIGINS: 'https://soc.example.com',
        RATE_LIMIT_BURST: '3',
        RATE_LIMIT_PER_MINUTE: '1',
      },
    });
  });
  afterAll(() => estate?.stop());
  beforeEach(() => estate.resetCalls());

  test('introspection is refused when GRAPHQL_INTROSPECTION=false', async () => {
    const { status, body } = await estate.gw.gqlRaw(INTROSPECTION, {}, await estate.gw.as({ subject: 'introspector' }));
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0]?.message).toMatch(/introspection/i);
  });

  test('CSRF: a simple (non-preflighted) request is refused before it runs', async () => {
    const response = await fetch(`${estate.gw.url}?query=${encodeURIComponent('{ sensors { sensorId } }')}`, {
      headers: await estate.gw.as({ subject: 'csrf' }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF|preflight/i);
    const form = await fetch(estate.gw.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...(await estate.gw.as({ subject: 'csrf' })) },
      body: JSON.stringify({ query: 'mutation { isolateHosts(input: { hostIds: ["1"] }) { __typename } }' }),
    });
    expect(form.status).toBe(400);
    expect(estate.upstreamCalls()).toBe(0);
  });

  test('CORS: only listed origins get CORS headers', async () => {
    const allowed = await fetch(estate.gw.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://soc.example.com', 'access-control-request-method': 'POST' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://soc.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await fetch(estate.gw.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('security headers on every answer; the playground page has its own CSP', async () => {
    const api = await fetch(estate.gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(Object.fromEntries(api.headers)).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cache-control': 'no-store',
    });
    const page = await fetch(estate.gw.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'.*frame-ancestors 'none'/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const data = await fetch(estate.gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await estate.gw.as({ subject: 'headers' })) },
      body: JSON.stringify({ query: '{ upstreams { upstream } }' }),
    });
    expect(data.status).toBe(200);
    expect(data.headers.get('cache-control')).toBe('no-store');
  });

  test('a caller over its rate gets 429 with Retry-After; other callers are not affected', async () => {
    const greedy = await estate.gw.as({ subject: 'greedy', role: 'viewer' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await estate.gw.gqlRaw('{ sensors { sensorId } }', {}, greedy)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    await estate.resetCalls();
    const response = await fetch(estate.gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...greedy },
      body: JSON.stringify({ query: '{ sensors { sensorId } }' }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: expect.stringMatching(/^Too many requests/),
          extensions: { code: 'RATE_LIMITED', retryAfterS: expect.any(Number) },
        },
      ],
    });
    expect(estate.upstreamCalls()).toBe(0);
    expect(
      (await estate.gw.gqlRaw('{ sensors { sensorId } }', {}, await estate.gw.as({ subject: 'patient' }))).status,
    ).toBe(200);
  });
});

describe('the per-request deadline', () => {
  test('cancels outstanding upstream calls and answers DEADLINE_EXCEEDED; the process stays healthy', async () => {
    const estate = await startEdgeEstate({ env: { GRAPHQL_REQUEST_TIMEOUT_MS: '300' } });
    try {
      estate.ksc.server.latencyMs = 5_000;
      const { body } = await estate.gw.gqlRaw('{ hosts(first: 1) { nodes { name } } }');
      expect(body.errors?.[0]?.extensions?.code).toBe('DEADLINE_EXCEEDED');
      expect((await fetch(`${estate.gw.origin}/healthz`)).status).toBe(200);
    } finally {
      estate.ksc.server.latencyMs = 0;
      await estate.stop();
    }
  });
});

describe('AUTH_DISABLED', () => {
  test.each([
    ['0.0.0.0'],
    // A name is not an address: starting with "127." does not make it loopback.
    ['127.0.0.1.gateway.example'],
  ])('binds to loopback only, whatever HOST says, and logs a warning saying so: HOST=%s', async (host) => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    // The origin printed for HOST=0.0.0.0 would say 127.0.0.1 too: ask the listening socket itself.
    const listen = jest.spyOn(net.Server.prototype, 'listen');
    let servers: net.Server[];
    let gw: TestGateway;
    try {
      gw = await startTestGateway({ auth: 'disabled', env: { HOST: host }, logger: createLogger('info', sink) });
    } finally {
      servers = [...listen.mock.contexts] as net.Server[];
      listen.mockRestore();
    }
    try {
      expect(servers).toHaveLength(1);
      const bound = servers[0]!.address() as AddressInfo;
      expect(bound).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
      expect(gw.origin).toBe(`http://127.0.0.1:${bound.port}`);
      expect(lines.filter((l) => l.level === 'warn')).toEqual([
        expect.objectContaining({
          level: 'warn',
          msg: 'AUTH_DISABLED=true: every caller is an anonymous administrator; listening on loopback only',
          host: '127.0.0.1',
          configuredHost: host,
        }),
      ]);
      const data = await gw.gql('{ upstreams { upstream } }', {}, {});
      expect(data.upstreams).toHaveLength(3);
    } finally {
      await gw.stop();
    }
  });

  test('without any auth configuration the gateway refuses to start', async () => {
    await expect(startTestGateway({ env: { AUTH_JWKS_FILE: '', AUTH_ISSUER: '', AUTH_AUDIENCE: '' } })).rejects.toThrow(
      /caller authentication is not configured/,
    );
  });
});

describe('failed authentications', () => {
  test('a client address that keeps failing is refused with 429 before its tokens are verified', async () => {
    const gw = await startTestGateway({
      env: { RATE_LIMIT_AUTH_FAILURES_BURST: '3', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1' },
    });
    try {
      const bad = { authorization: 'Bearer not.a.token' };
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await gw.gqlRaw('{ upstreams { upstream } }', {}, bad)).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const { status, body } = await gw.gqlRaw('{ upstreams { upstream } }');
      expect(status).toBe(429);
      expect(body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterS: expect.any(Number) });
    } finally {
      await gw.stop();
    }
  });

  test('successful authentications do not count', async () => {
    const gw = await startTestGateway({
      env: { RATE_LIMIT_AUTH_FAILURES_BURST: '1', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1' },
    });
    try {
      for (let i = 0; i < 5; i++) expect((await gw.gqlRaw('{ upstreams { upstream } }')).status).toBe(200);
    } finally {
      await gw.stop();
    }
  });
});
