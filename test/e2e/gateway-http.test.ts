import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

describe('the gateway over HTTP', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.stop());

  test('serves liveness, readiness and metrics', async () => {
    expect((await fetch(`${gw.origin}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gw.origin}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${gw.origin}/metrics`)).text();
    expect(metrics).toContain('gateway_graphql_requests_total');
    expect(metrics).toContain('gateway_upstream_calls_total');
  });

  test('counts and times each answered request by operation name', async () => {
    await gw.gql('query UpstreamNames { upstreams { upstream } }');
    const metrics = await (await fetch(`${gw.origin}/metrics`)).text();
    expect(metrics).toContain('gateway_graphql_requests_total{operation="UpstreamNames",outcome="ok"} 1');
    expect(metrics).toContain('gateway_graphql_request_duration_seconds_count{operation="UpstreamNames"} 1');
  });

  test('reports every upstream as not configured when none is', async () => {
    const data = await gw.gql('{ upstreams { upstream configured reachable latencyMs message } }');
    expect(data.upstreams).toEqual([
      { upstream: 'MDR', configured: false, reachable: false, latencyMs: null, message: 'Not configured.' },
      { upstream: 'KSC', configured: false, reachable: false, latencyMs: null, message: 'Not configured.' },
      { upstream: 'KATA', configured: false, reachable: false, latencyMs: null, message: 'Not configured.' },
    ]);
  });

  test('answers GET queries', async () => {
    const response = await fetch(`${gw.url}?query=${encodeURIComponent('{ upstreams { upstream } }')}`, {
      headers: { 'apollo-require-preflight': 'true', ...(await gw.as()) },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: { upstreams: [{ upstream: 'MDR' }, { upstream: 'KSC' }, { upstream: 'KATA' }] },
    });
  });

  test('answers a browser GET with a query string as GraphQL, never with a page from elsewhere', async () => {
    const response = await fetch(`${gw.url}?tab=1`, { headers: { accept: 'text/html', ...(await gw.as()) } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.text()).not.toMatch(/cdn\.apollographql\.com/);
  });

  test('serves the playground with every asset from this server', async () => {
    const response = await fetch(gw.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(4);
    expect(html).not.toMatch(/https?:\/\//);
    for (const url of urls) {
      const asset = await fetch(new URL(url, gw.origin));
      expect(asset.status).toBe(200);
    }
  });

  test('a malformed query gets a spec-conforming error', async () => {
    const { status, body } = await gw.gqlRaw('{ upstreams { ');
    expect(status).toBe(200); // application/json; graphql-response+json gets 400 (graphql-over-http-audit)
    expect(body).toEqual({
      errors: [
        expect.objectContaining({
          message: expect.stringContaining('Syntax Error'),
          extensions: { code: 'GRAPHQL_PARSE_FAILED' },
        }),
      ],
    });
  });

  test('a body that is not JSON gets a coded 400', async () => {
    const response = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'The request body is not valid JSON.',
          extensions: { code: 'BAD_REQUEST', reason: 'body_not_json' },
        },
      ],
    });
  });

  test('unknown fields get a validation error without suggestions', async () => {
    const { status, body } = await gw.gqlRaw('{ upstream { upstream } }');
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0]?.message).not.toContain('Did you mean');
  });

  test('a wrong enum value or input field in variables gets BAD_USER_INPUT without suggestions', async () => {
    const query = 'query ($f: IncidentFilter) { incidents(first: 1, filter: $f) { totalCount } }';
    const enumValue = await gw.gqlRaw(query, { f: { statuses: ['OPNE'] } });
    expect(enumValue.body.errors?.[0]).toMatchObject({
      message:
        'Variable "$f" got invalid value "OPNE" at "f.statuses[0]"; Value "OPNE" does not exist in "IncidentStatus" enum.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const field = await gw.gqlRaw(query, { f: { statusses: ['OPEN'] } });
    expect(field.body.errors?.[0]).toMatchObject({
      message:
        'Variable "$f" got invalid value { statusses: ["OPEN"] }; Field "statusses" is not defined by type "IncidentFilter".',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  test('a malformed node id gets BAD_USER_INPUT', async () => {
    const { body } = await gw.gqlRaw('{ node(id: "not-an-id") { id } }');
    expect(body.errors?.[0]).toMatchObject({ path: ['node'], extensions: { code: 'BAD_USER_INPUT' } });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  });

  test('echoes a request id for log correlation', async () => {
    const response = await fetch(`${gw.origin}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(response.headers.get('x-request-id')).toBe('abc-123');
  });
});
