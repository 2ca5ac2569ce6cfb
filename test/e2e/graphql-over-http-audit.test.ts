import { auditServer } from 'graphql-http';

import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

// The GraphQL-over-HTTP spec's own server audit (graphql-http), run against the gateway over HTTP
// with a caller token, as a spec-conformance tool from outside would.

let gw: TestGateway;
let headers: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway({});
  headers = await gw.as({ subject: 'http-audit' });
});
afterAll(() => gw?.stop());

test('every MUST and SHOULD of the GraphQL-over-HTTP server audit holds', async () => {
  const results = await auditServer({
    url: gw.url,
    fetchFn: (input: string | URL | Request, init: RequestInit = {}) =>
      fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), ...headers } }),
  });
  expect(results.length).toBeGreaterThan(50);
  const failed = results.filter((r) => r.status === 'error' || r.status === 'warn').map((r) => `${r.id} ${r.name}`);
  expect(failed).toEqual([]);
});

test.each([
  ['a document that does not parse', '{ upstreams {', 'GRAPHQL_PARSE_FAILED'],
  ['a document that does not validate', '{ noSuchField }', 'GRAPHQL_VALIDATION_FAILED'],
])(
  '%s: 200 with the coded error for application/json, 400 for application/graphql-response+json',
  async (_name, query, code) => {
    const ask = (accept: string) =>
      fetch(gw.url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', accept },
        body: JSON.stringify({ query }),
      });
    const json = await ask('application/json');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await json.json()) as any).errors[0].extensions.code).toBe(code);
    const graphqlResponse = await ask('application/graphql-response+json');
    expect(graphqlResponse.status).toBe(400);
    expect(graphqlResponse.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(((await graphqlResponse.json()) as any).errors[0].extensions.code).toBe(code);
  },
);

test("a request the gateway refuses before GraphQL answers in the client's media type", async () => {
  const notJson = (accept?: string) =>
    fetch(gw.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', ...(accept ? { accept } : {}) },
      body: '{"query": ',
    });
  for (const [accept, type] of [
    [undefined, 'application/json'],
    ['application/json', 'application/json'],
    ['application/graphql-response+json, application/json;q=0.9', 'application/graphql-response+json'],
  ] as const) {
    const response = await notJson(accept);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  }
});
