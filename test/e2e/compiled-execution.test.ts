import { PICK_INCIDENT_QUERY, WORKLOADS, pickIncident } from '../../bench/lib/workloads';
import { startTestEstate } from '../helpers/gateway';
import type { TestEstate } from '../helpers/gateway';

// An operation's first request is interpreted by graphql-js, the next ones run compiled by
// graphql-jit (server/compiled-executor.ts). Both must give the same answer, errors included, for
// the same upstream calls.

let estate: TestEstate;
let incidentId: string;

beforeAll(async () => {
  estate = await startTestEstate();
  incidentId = pickIncident(await estate.gw.gql(PICK_INCIDENT_QUERY));
}, 60_000);

afterAll(async () => {
  await estate?.stop();
});

function upstreamCalls(): number {
  const { mdr, ksc, kata } = estate.sims;
  return mdr.server.totalCalls() + ksc.server.totalCalls() + kata.server.totalCalls();
}

async function threeTimes(query: string, variables?: Record<string, unknown>) {
  const answers = [];
  for (let run = 0; run < 3; run++) {
    const before = upstreamCalls();
    const answer = await estate.gw.gqlRaw(query, variables);
    answers.push({ ...answer, calls: upstreamCalls() - before });
  }
  return answers;
}

describe('compiled operations answer as interpreted ones', () => {
  test.each(WORKLOADS.map((w) => [w.name, w] as const))(
    'the %s workload, with the same upstream calls',
    async (name, workload) => {
      const [interpreted, ...compiled] = await threeTimes(
        workload.query,
        name === 'incidentDetail' ? { incidentId } : {},
      );
      expect(interpreted.body.errors).toBeUndefined();
      expect(interpreted.calls).toBeGreaterThan(0);
      for (const answer of compiled) expect(answer).toEqual(interpreted);
    },
  );

  test('a coded error in a field keeps its code, message, path and locations', async () => {
    const [interpreted, ...compiled] = await threeTimes(
      '{ node(id: "not-an-id") { id } incidents(first: 1) { totalCount } }',
    );
    expect(interpreted.body.errors?.[0]).toMatchObject({
      path: ['node'],
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(interpreted.body.data?.incidents).toBeTruthy();
    for (const answer of compiled) expect(answer).toEqual(interpreted);
  });

  test('a variable of the wrong type is BAD_USER_INPUT every time, before any upstream call', async () => {
    const [interpreted, ...compiled] = await threeTimes(
      'query($first: Int!) { incidents(first: $first) { totalCount } }',
      {
        first: 'ten',
      },
    );
    expect(interpreted.body).toEqual({
      errors: [
        expect.objectContaining({ message: expect.stringContaining('$first'), extensions: { code: 'BAD_USER_INPUT' } }),
      ],
    });
    expect(interpreted.calls).toBe(0);
    for (const answer of compiled) expect(answer).toEqual(interpreted);
  });

  test('an interface field resolves to its concrete type when compiled', async () => {
    const ids = (await estate.gw.gql('{ incidents(first: 2) { nodes { id } } }')).incidents.nodes.map(
      (n: { id: string }) => n.id,
    );
    const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Incident { incidentId } } }';
    const [interpreted, ...compiled] = await threeTimes(query, { ids });
    expect(interpreted.body.data?.nodes).toEqual([
      expect.objectContaining({ __typename: 'Incident', id: ids[0] }),
      expect.objectContaining({ __typename: 'Incident', id: ids[1] }),
    ]);
    for (const answer of compiled) expect(answer).toEqual(interpreted);
  });
});
