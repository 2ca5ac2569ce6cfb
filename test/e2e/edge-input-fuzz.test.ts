import fc from 'fast-check';

import { startEdgeEstate } from '../helpers/edge';
import type { EdgeEstate } from '../helpers/edge';

/** Values a hostile or careless client might send where strings, numbers or lists are expected. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    '*',
    '?',
    '"',
    '\\',
    '")(',
    '(KLHST_WKS_DN="*")',
    "' OR 1=1 --",
    '../../etc/passwd',
    '\u0000',
    '\uD800',
    '%00',
    'null',
  ),
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, -1, 0),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const date = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string({ maxLength: 25 }),
);

const OPERATIONS = [
  {
    query:
      'query ($f: HostFilter, $n: Int, $a: String) { hosts(filter: $f, first: $n, after: $a) { nodes { name } totalCount } }',
    variables: fc.record({
      f: maybe(
        fc.record({
          names: maybe(nasty),
          fqdn: maybe(nasty),
          groupId: maybe(nasty),
          ipAddress: maybe(nasty),
          online: maybe(nasty),
          osName: maybe(nasty),
          kscFilter: maybe(nasty),
        }),
      ),
      n: maybe(nasty),
      a: maybe(nasty),
    }),
  },
  {
    query: 'query ($f: EventFilter!, $n: Int) { events(filter: $f, first: $n) { nodes { eventId } } }',
    variables: fc.record({
      f: fc.record({
        since: date,
        until: maybe(date),
        severities: maybe(nasty),
        eventTypes: maybe(nasty),
        hostNames: maybe(nasty),
        kscAttributes: maybe(nasty),
      }),
      n: maybe(fc.integer({ min: -5, max: 200 })),
    }),
  },
  {
    query: 'query ($f: SensorFilter) { sensors(filter: $f) { sensorId } }',
    variables: fc.record({ f: maybe(fc.record({ hostName: maybe(nasty), ipAddress: maybe(nasty) })) }),
  },
  {
    query: 'query ($id: ID!) { node(id: $id) { id } }',
    variables: fc.record({
      id: fc.oneof(
        nasty,
        fc.string({ maxLength: 30 }).map((s) => Buffer.from(s).toString('base64')),
      ),
    }),
  },
  {
    query: 'mutation ($i: CreateKataTaskInput!) { createKataTask(input: $i) { task { taskId } } }',
    variables: fc.record({
      i: fc.record({
        sensorId: nasty,
        execCommand: nasty,
        cmdLineParameters: maybe(nasty),
        taskId: maybe(nasty),
        workingDirectory: maybe(nasty),
      }),
    }),
  },
  {
    query: 'mutation ($i: IsolateHostsInput!) { isolateHosts(input: $i) { __typename } }',
    variables: fc.record({ i: fc.record({ hostIds: nasty, timeoutMinutes: maybe(nasty) }) }),
  },
];

describe('fuzzed filter and input values never break the gateway', () => {
  let estate: EdgeEstate;
  beforeAll(async () => {
    estate = await startEdgeEstate();
  });
  afterAll(() => estate?.stop());

  test('no 5xx and no INTERNAL_SERVER_ERROR over a seeded run', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...OPERATIONS).chain((op) => op.variables.map((variables) => ({ query: op.query, variables }))),
        async ({ query, variables }) => {
          const { status, body } = await estate.gw.gqlRaw(query, variables as Record<string, unknown>);
          expect(status).toBeLessThan(500);
          expect((body.errors ?? []).map((e) => e.extensions?.code)).not.toContain('INTERNAL_SERVER_ERROR');
        },
      ),
      { seed: 20261123, numRuns: 300, endOnFailure: true },
    );
    expect((await fetch(`${estate.gw.origin}/healthz`)).status).toBe(200);
  }, 120_000);
});
