import { createHash } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';

import { startEdgeEstate } from '../helpers/edge';
import type { EdgeEstate } from '../helpers/edge';
import { capturedLogs } from '../helpers/log-lines';

// Request mistakes Apollo Server and graphql-js word themselves, some without any code: each is
// answered with a code of its own (a reason for BAD_REQUEST), our words, and no upstream call.

let estate: EdgeEstate;
let viewer: Record<string, string>;
const { logger, lines } = capturedLogs();
const errorLines = () => lines.filter((l) => l.level === 'error' || l.level === 'fatal');

beforeAll(async () => {
  estate = await startEdgeEstate({ logger });
  viewer = await estate.gw.as({ role: 'viewer' });
});
afterAll(() => estate?.stop());
beforeEach(() => estate.resetCalls());
afterEach(() => expect(estate.upstreamCalls()).toBe(0));

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(estate.gw.url, {
    method: 'POST',
    headers: { ...viewer, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HOSTS = '{ hosts(first: 1) { totalCount } }';

test('a subscription sent as a request (POST or GET) is OPERATION_NOT_SUPPORTED, pointing to WebSocket and SSE', async () => {
  const refused = {
    errors: [
      {
        message:
          'Subscriptions run over GraphQL over WebSocket (on /graphql) or GraphQL over SSE (/graphql/stream), not as a request.',
        extensions: { code: 'OPERATION_NOT_SUPPORTED', operation: 'subscription' },
      },
    ],
  };
  for (const query of [
    'subscription { taskChanged(taskId: "1") { __typename } }',
    'subscription Watch { kscEvent { __typename } }',
  ]) {
    expect(await post({ query })).toEqual({ status: 400, body: refused });
  }
  const get = await fetch(`${estate.gw.url}?query=${encodeURIComponent('subscription { kscEvent { __typename } }')}`, {
    headers: { ...viewer, 'apollo-require-preflight': 'true' },
  });
  expect(get.status).toBe(405);
  expect(await get.json()).toEqual({
    errors: [{ ...refused.errors[0], extensions: { code: 'OPERATION_NOT_SUPPORTED' } }],
  });
});

test('a persisted query whose sha256Hash does not match its text is PERSISTED_QUERY_HASH_MISMATCH', async () => {
  expect(
    await post({ query: HOSTS, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(`${HOSTS} `) } } }),
  ).toEqual({
    status: 400,
    body: {
      errors: [
        {
          message: 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it.',
          extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' },
        },
      ],
    },
  });
});

test('a persisted query of another version is PERSISTED_QUERY_NOT_SUPPORTED (Apollo Client then stops sending hashes)', async () => {
  expect(
    await post({ query: HOSTS, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(HOSTS) } } }),
  ).toEqual({
    status: 400,
    body: {
      errors: [
        {
          message: 'Only version 1 of persisted queries is supported.',
          extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' },
        },
      ],
    },
  });
});

test('automatic persisted queries still work: an unknown hash is PERSISTED_QUERY_NOT_FOUND, then registered and run', async () => {
  const query = '{ __typename }';
  const persistedQuery = { version: 1, sha256Hash: sha256(query) };
  const miss = await post({ extensions: { persistedQuery } }, { accept: 'application/graphql-response+json' });
  expect(miss.status).toBe(200);
  expect(miss.body).toEqual({
    errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
  });
  expect((await post({ query, extensions: { persistedQuery } })).body).toMatchObject({ data: { __typename: 'Query' } });
  expect((await post({ extensions: { persistedQuery } })).body).toMatchObject({ data: { __typename: 'Query' } });
});

describe('a request that is not a GraphQL request: BAD_REQUEST, a reason, and our words', () => {
  const ask = (init: RequestInit, path = '') =>
    fetch(`${estate.gw.url}${path}`, { ...init, headers: { ...viewer, ...(init.headers as Record<string, string>) } });
  const json = { 'content-type': 'application/json' };
  const preflight = { 'apollo-require-preflight': 'true' };

  test.each([
    ['a batch', { method: 'POST', headers: json, body: '[{"query": "{ __typename }"}]' }, '', 400, 'batch'],
    ['an empty batch', { method: 'POST', headers: json, body: '[]' }, '', 400, 'batch'],
    ['a form post (CSRF)', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }, '', 400, 'csrf'],
    ['no query', { method: 'POST', headers: json, body: '{"variables": {}}' }, '', 400, 'no_query'],
    ['an empty object', { method: 'POST', headers: json, body: '{}' }, '', 400, 'no_graphql_body'],
    [
      'a query that is not a string',
      { method: 'POST', headers: json, body: '{"query": 1}' },
      '',
      400,
      'query_not_string',
    ],
    [
      'variables as a string',
      { method: 'POST', headers: json, body: '{"query": "{ __typename }", "variables": "{}"}' },
      '',
      400,
      'variables_not_object',
    ],
    [
      'extensions as a list',
      { method: 'POST', headers: json, body: '{"query": "{ __typename }", "extensions": []}' },
      '',
      400,
      'extensions_not_object',
    ],
    [
      'an accept nothing can meet',
      { method: 'POST', headers: { ...json, accept: 'application/xml' }, body: '{"query": "{ __typename }"}' },
      '',
      406,
      'not_acceptable',
    ],
    [
      'a GET with a form type',
      { method: 'GET', headers: { ...preflight, 'content-type': 'text/plain' } },
      '?query=%7B__typename%7D',
      415,
      'content_type',
    ],
    [
      'a query parameter twice',
      { method: 'GET', headers: preflight },
      '?query=%7B__typename%7D&query=x',
      400,
      'repeated_parameter',
    ],
    [
      'variables that are not JSON',
      { method: 'GET', headers: preflight },
      '?query=%7B__typename%7D&variables=%7B',
      400,
      'invalid_parameter',
    ],
    [
      'a mutation over GET',
      { method: 'GET', headers: preflight },
      '?query=mutation%7B__typename%7D',
      405,
      'mutation_over_get',
    ],
  ] as [string, RequestInit, string, number, string][])('%s', async (_name, init, path, status, reason) => {
    const response = await ask(init, path);
    expect(response.status).toBe(status);
    const body = (await response.json()) as { errors: { message: string; extensions: unknown }[] };
    expect(body.errors).toEqual([{ message: expect.any(String), extensions: { code: 'BAD_REQUEST', reason } }]);
    expect(body.errors[0]!.message).not.toMatch(/Apollo|POST body|search parameter/);
  });
});

describe('more than 50 bad variable values', () => {
  const query = 'query ($s: [IncidentStatus!]) { incidents(filter: { statuses: $s }) { totalCount } }';
  const variables = { s: Array.from({ length: 60 }, (_, i) => `NO_SUCH_STATUS_${i}`) };

  test.each([
    ['application/json', 200],
    ['application/graphql-response+json', 400],
  ])('are all BAD_USER_INPUT, the last saying the rest went unreported (%s: %i)', async (accept, status) => {
    const answer = await post({ query, variables }, { accept });
    expect(answer.status).toBe(status);
    const errors = answer.body.errors as { message: string; extensions: { code: string } }[];
    expect(errors).toHaveLength(51);
    expect(new Set(errors.map((e) => e.extensions.code))).toEqual(new Set(['BAD_USER_INPUT']));
    expect(errors.at(-1)).toEqual({
      message: 'Too many invalid variable values: the first 50 are reported.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe('values nested thousands deep', () => {
  const deepList = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  test('an operationName that is not a string is BAD_REQUEST, whatever it holds', async () => {
    for (const operationName of [deepList(6_000), '{"toString": 1}', '{"valueOf": null, "toString": null}']) {
      expect(await post(`{"query": "{ __typename }", "operationName": ${operationName}}`)).toEqual({
        status: 400,
        body: {
          errors: [
            {
              message: 'operationName must be a string.',
              extensions: { code: 'BAD_REQUEST', reason: 'operation_name_not_string' },
            },
          ],
        },
      });
    }
  });

  test('kscAttributes takes scalars and lists of scalars only, so a list of lists is BAD_USER_INPUT', async () => {
    const query = 'query ($f: EventFilter!) { events(filter: $f, first: 1) { nodes { eventId } } }';
    for (const value of ['[[1]]', deepList(6_000)]) {
      const { body } = await post(
        `{"query": ${JSON.stringify(query)}, "variables": {"f": {"since": "2026-01-01T00:00:00Z", "kscAttributes": {"X": ${value}}}}}`,
        // A caller who sees every tenant's events: the filter is built for the upstream.
        await estate.gw.as({ role: 'administrator' }),
      );
      expect(body).toEqual({
        data: { events: null },
        errors: [
          expect.objectContaining({
            message: 'kscAttributes.X: only scalar values or lists of scalars are accepted.',
            path: ['events'],
            extensions: { code: 'BAD_USER_INPUT', argument: 'filter.kscAttributes' },
          }),
        ],
      });
    }
  });
});

test('a client that goes away mid-body leaves nothing behind but its request line', async () => {
  const socket = net.connect(Number(new URL(estate.gw.origin).port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    `POST /graphql HTTP/1.1\r\nhost: x\r\nauthorization: ${viewer.authorization}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"query": "{ __ty`,
  );
  // A round trip on another connection: the gateway has read the first one's bytes by then.
  expect((await post({ query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
  const closed = once(socket, 'close');
  socket.destroy();
  await closed;
  expect((await post({ query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
  expect(errorLines()).toEqual([]);
});

test('none of these was counted or logged as a bug', async () => {
  const metrics = await (await fetch(`${estate.gw.origin}/metrics`)).text();
  expect(metrics).toMatch(/gateway_graphql_errors_total\{code="OPERATION_NOT_SUPPORTED"\} 3/);
  expect(metrics).not.toMatch(/code="INTERNAL_SERVER_ERROR"/);
  expect(errorLines()).toEqual([]);
});
