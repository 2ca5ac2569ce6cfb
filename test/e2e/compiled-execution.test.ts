import { getIntrospectionQuery } from 'graphql';

import { PICK_INCIDENT_QUERY, WORKLOADS, pickIncident } from '../../bench/lib/workloads';
import { startTestEstate } from '../helpers/gateway';
import type { TestEstate } from '../helpers/gateway';

// A query runs interpreted (graphql-js) the first time and compiled (graphql-jit) from the second
// (GRAPHQL_COMPILE_AFTER=1, the default). Both runs must answer byte for byte alike: data, errors
// with their codes and paths, and the HTTP status.

let estate: TestEstate;
let ids: Record<'incident' | 'asset' | 'host' | 'sensor' | 'response' | 'comment', string>;
let incidentId: string;

beforeAll(async () => {
  estate = await startTestEstate({ GRAPHQL_COMPILE_AFTER: '1' });
  incidentId = pickIncident(await estate.gw.gql(PICK_INCIDENT_QUERY));
  const { incidents, hosts, sensors } = await estate.gw.gql(`{
    incidents(first: 20) { nodes { id affectedAssets { id } responses(first: 1) { nodes { id } } comments(first: 1) { nodes { id } } } }
    hosts(first: 1) { nodes { id } }
    sensors { id }
  }`);
  const withAll = incidents.nodes.find(
    (i: any) => i.affectedAssets.length && i.responses.nodes.length && i.comments.nodes.length,
  );
  ids = {
    incident: withAll.id,
    asset: withAll.affectedAssets[0].id,
    response: withAll.responses.nodes[0].id,
    comment: withAll.comments.nodes[0].id,
    host: hosts.nodes[0].id,
    sensor: sensors[0].id,
  };
}, 60_000);

afterAll(() => estate?.stop());

async function executions(): Promise<{ compiled: number; interpreted: number }> {
  const text = await (await fetch(new URL('/metrics', estate.gw.url))).text();
  const count = (executor: string) =>
    Number(
      text.match(new RegExp(`^gateway_graphql_executions_total\\{executor="${executor}"\\} (\\d+)`, 'm'))?.[1] ?? 0,
    );
  return { compiled: count('compiled'), interpreted: count('interpreted') };
}

/** The query's first and second answers (as JSON text), and which executor ran each. */
async function twice(query: string, variables: Record<string, unknown> = {}) {
  const answer = async () => {
    const before = await executions();
    const { status, body } = await estate.gw.gqlRaw(query, variables);
    const after = await executions();
    const executor =
      after.compiled > before.compiled ? 'compiled' : after.interpreted > before.interpreted ? 'interpreted' : 'none';
    // JSON.parse keeps the order of keys: equal texts mean equal answers, field order included.
    return { status, text: JSON.stringify(body), executor };
  };
  const first = await answer();
  const second = await answer();
  return { first, second };
}

const NODES = `query Nodes($ids: [ID!]!, $withHost: Boolean!, $skipText: Boolean!) {
  nodes(ids: $ids) {
    __typename
    id
    ... on Incident { summary incidentStatus: status priority affectedAssets { assetHost: hostName } }
    ... on Asset { assetHost: hostName assetStatus: status host @include(if: $withHost) { name online } sensor { sensorId } }
    ... on Host { name ipAddress online group { name } }
    ... on Sensor { sensorId sensorHost: hostName }
    ...ResponseParts
    ... on Comment { authorName text @skip(if: $skipText) commentedAt: creationTime }
  }
}
fragment ResponseParts on Response { responseId type responseStatus: status creationTime incident { incidentId } }`;

test.each(WORKLOADS.map((w) => [w.name, w] as const))(
  'the %s workload answers alike interpreted and compiled',
  async (_name, workload) => {
    const { first, second } = await twice(workload.query, workload.name === 'incidentDetail' ? { incidentId } : {});
    expect([first.executor, second.executor]).toEqual(['interpreted', 'compiled']);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text).errors).toBeUndefined();
    expect(second.text).toBe(first.text);
  },
);

test('every Node type through nodes(ids:), with fragments, @include/@skip and __typename, answers alike', async () => {
  const variables = { ids: Object.values(ids), withHost: true, skipText: true };
  const { first, second } = await twice(NODES, variables);
  expect(second.executor).toBe('compiled');
  const data = JSON.parse(first.text).data;
  expect(data.nodes.map((n: { __typename: string }) => n.__typename)).toEqual([
    'Incident',
    'Asset',
    'Response',
    'Comment',
    'Host',
    'Sensor',
  ]);
  expect(data.nodes[3]).not.toHaveProperty('text');
  expect(second.text).toBe(first.text);
});

test('errors answer alike: a bad node id is BAD_USER_INPUT on its field while the rest of the answer arrives', async () => {
  const query = '{ bad: node(id: "not-an-id") { id } incidents(first: 2) { totalCount nodes { incidentId } } }';
  const { first, second } = await twice(query);
  expect(second.executor).toBe('compiled');
  const body = JSON.parse(first.text);
  expect(body.errors).toEqual([
    expect.objectContaining({ path: ['bad'], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
  ]);
  expect(body.data.incidents.nodes).toHaveLength(2);
  expect(second.status).toBe(first.status);
  expect(second.text).toBe(first.text);
});

test('variables that do not coerce are refused alike, by graphql-js, before anything runs', async () => {
  const triage = WORKLOADS.find((w) => w.name === 'triage')!;
  const { first, second } = await twice(triage.query, { first: 'fifty' });
  expect([first.executor, second.executor]).toEqual(['interpreted', 'interpreted']);
  expect(JSON.parse(first.text)).toEqual({
    errors: [
      expect.objectContaining({
        message: expect.stringMatching(/^Variable "\$first" got invalid value/),
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ],
  });
  expect(second.status).toBe(first.status);
  expect(second.text).toBe(first.text);
});

test('introspection answers alike', async () => {
  const { first, second } = await twice(getIntrospectionQuery());
  expect(second.executor).toBe('compiled');
  expect(JSON.parse(first.text).data.__schema.types.length).toBeGreaterThan(50);
  expect(second.text).toBe(first.text);
});

test('mutations always run interpreted', async () => {
  const mutation = `mutation($incidentId: String!) { addIncidentComment(input: { incidentId: $incidentId, text: "checked" }) { comment { text } } }`;
  const { first, second } = await twice(mutation, { incidentId });
  expect([first.executor, second.executor]).toEqual(['interpreted', 'interpreted']);
});

// graphql-jit writes argument literals into the generated code as JSON, then turns its own markers
// (for Date, NaN, ±Infinity) back into code with a regular expression: a string argument carrying
// a marker would end the literal and inject JavaScript. Such documents are never compiled.
test('a string argument carrying graphql-jit marker text runs interpreted, and its text stays data', async () => {
  const injected =
    '__MAGIC_DATE__33a9e76d_02e0_4128_8e92_3530ad3da74d0)}; globalThis.__compiledInjection = 1; const __x = {a:(0';
  const query = `{ incident(incidentId: ${JSON.stringify(injected)}) { incidentId } }`;
  const { first, second } = await twice(query);
  expect([first.executor, second.executor]).toEqual(['interpreted', 'interpreted']);
  expect((globalThis as { __compiledInjection?: number }).__compiledInjection).toBeUndefined();
  expect(second.text).toBe(first.text);
});

// graphql-jit builds result objects as literals, where a `__proto__` key sets the prototype
// instead of a field: such documents run interpreted, whose null-prototype objects keep it.
test('an alias __proto__ answers as a field, alike on every run', async () => {
  const { first, second } = await twice('{ __proto__: upstreams { upstream } again: upstreams { upstream } }');
  expect([first.executor, second.executor]).toEqual(['interpreted', 'interpreted']);
  expect(Object.keys(JSON.parse(first.text).data)).toEqual(['__proto__', 'again']);
  expect(second.text).toBe(first.text);
});
