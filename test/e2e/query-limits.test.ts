import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { getIntrospectionQuery } from 'graphql';

import { startEdgeEstate } from '../helpers/edge';
import type { EdgeEstate } from '../helpers/edge';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const nested = (depth: number) => `${'parent { '.repeat(depth)}name${' }'.repeat(depth)}`;
const aliases = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: hosts(first: 1) { nodes { name } }`).join(' ')} }`;

const BOMBS: Record<string, string> = {
  'a depth bomb': `{ hostGroups(first: 1) { nodes { ${nested(40)} } } }`,
  'a depth bomb through fragments': `{ hostGroups(first: 1) { nodes { ...P20 } } } ${Array.from(
    { length: 20 },
    (_, i) => `fragment P${i + 1} on HostGroup { parent { ${i === 0 ? 'name' : `...P${i}`} } }`,
  ).join(' ')}`,
  '31 aliases': aliases(31),
  '1,000 aliases': aliases(1_000),
  'a cost bomb (first: 100 four deep)': `{ hostGroups(first: 100) { nodes { hosts(first: 100) { nodes { events(first: 100, filter: { since: "2020-01-01T00:00:00Z" }) { nodes { host { events(first: 100, filter: { since: "2020-01-01T00:00:00Z" }) { nodes { eventId } } } } } } } } } }`,
  'a token bomb': `{ hosts(first: 1) { nodes { ${'name '.repeat(3_000)} } } }`,
  'a directive bomb': `{ hosts(first: 1) { nodes { ${'name @include(if: true) '.repeat(50)} } } }`,
  '31 aliases of __typename': `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
  'one field 51 times': `{ ${'__typename '.repeat(51)}}`,
  'one field 51 times through fragments': `{ ${'incidents(first: 1) { totalCount } '.repeat(26)}...F } fragment F on Query { ${'incidents(first: 1) { totalCount } '.repeat(25)}}`,
};

describe('abusive queries are refused before any upstream call', () => {
  let estate: EdgeEstate;
  beforeAll(async () => {
    estate = await startEdgeEstate();
  });
  afterAll(() => estate?.stop());
  beforeEach(() => estate.resetCalls());

  // 200 for an application/json client (GraphQL over HTTP); 400 for graphql-response+json.
  test.each(Object.entries(BOMBS))('%s: QUERY_TOO_COMPLEX, no upstream call', async (_name, query) => {
    const { status, body } = await estate.gw.gqlRaw(query);
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors?.length).toBeGreaterThanOrEqual(1);
    expect(body.errors!.map((e) => e.extensions?.code)).toEqual(body.errors!.map(() => 'QUERY_TOO_COMPLEX'));
    expect(estate.upstreamCalls()).toBe(0);
  });

  test('a 1 MB query: 413 before it is parsed, no upstream call', async () => {
    const query = `{ hosts(first: 1) { nodes { name } } } # ${'x'.repeat(1_048_576)}`;
    const response = await fetch(estate.gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await estate.gw.as()) },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: `The request body exceeds ${estate.gw.config.limits.maxBodyBytes} bytes.`,
          extensions: { code: 'BAD_REQUEST', reason: 'body_too_large' },
        },
      ],
    });
    expect(estate.upstreamCalls()).toBe(0);
  });

  test('a repeated field is refused before validation, which compares every pair of its copies', async () => {
    // Unknown fields: validation would answer GRAPHQL_VALIDATION_FAILED, had it run.
    const { body } = await estate.gw.gqlRaw(`{ ${'nope(first: 1) { totalCount } '.repeat(51)}}`);
    expect(body.errors).toEqual([
      {
        message: 'The field "nope" is selected more than 50 times in one selection set (fragments included).',
        extensions: { code: 'QUERY_TOO_COMPLEX' },
      },
    ]);
    const allowed = await estate.gw.gqlRaw(`{ ${'__typename '.repeat(49)}...F } fragment F on Query { __typename }`);
    expect(allowed.body).toEqual({ data: { __typename: 'Query' } });
  });

  test('a mistake made at ten places is one error with ten locations', async () => {
    const { body } = await estate.gw.gqlRaw(`{ __typename ${'@aa'.repeat(10)} }`);
    expect(body.errors).toEqual([
      {
        message: 'Unknown directive "@aa".',
        locations: Array.from({ length: 10 }, (_, i) => ({ line: 1, column: 14 + 3 * i })),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ]);
  });

  test('the cost error says what it measured', async () => {
    const { body } = await estate.gw.gqlRaw(BOMBS['a cost bomb (first: 100 four deep)']!);
    expect(body.errors![0]!.extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      cost: expect.any(Number),
      maxCost: 50_000,
    });
    expect(body.errors![0]!.extensions!.cost as number).toBeGreaterThan(100 ** 4);
  });

  test('first given as a variable counts too', async () => {
    const query = `query ($n: Int) { hostGroups(first: $n) { nodes { hosts(first: $n) { nodes { events(first: $n, filter: { since: "2020-01-01T00:00:00Z" }) { nodes { eventId } } } } } } }`;
    const refused = await estate.gw.gqlRaw(query, { n: 100 });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(estate.upstreamCalls()).toBe(0);
    const allowed = await estate.gw.gqlRaw(query, { n: 2 });
    expect(allowed.body.errors).toBeUndefined();
  });

  test("the playground's full introspection query passes the default limits", async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      inputValueDeprecation: true,
    });
    const { status, body } = await estate.gw.gqlRaw(query);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  test('a legitimate heavy query passes', async () => {
    const { body } = await estate.gw.gqlRaw(
      `{ hosts(first: 100) { nodes { name group { name parent { name } } sensor { sensorId } events(first: 10, filter: { since: "2020-01-01T00:00:00Z" }) { nodes { eventId } } } } }`,
    );
    expect(body.errors).toBeUndefined();
  });

  test('after hundreds of bombs the process is healthy and its memory flat', async () => {
    const round = () => Promise.all(Object.values(BOMBS).map((query) => estate.gw.gqlRaw(query)));
    for (let i = 0; i < 5; i++) await round();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 40; i++) await round();
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(grown).toBeLessThan(20 * 1024 * 1024);
    expect((await fetch(`${estate.gw.origin}/healthz`)).status).toBe(200);
    expect(estate.upstreamCalls()).toBe(0);
  });
});
