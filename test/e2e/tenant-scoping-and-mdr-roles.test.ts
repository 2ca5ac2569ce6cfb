import fc from 'fast-check';

import { startMdrSimulator } from '../../src/upstreams/mdr/simulator';
import type { MdrSimulator } from '../../src/upstreams/mdr/simulator';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { mdrSettings } from '../helpers/mdr';

describe('MDR behind the edge: tenants and roles', () => {
  let sim: MdrSimulator;
  let gw: TestGateway;
  let tenant: string;
  let mine: { id: string; incidentId: string };
  let theirs: { id: string; incidentId: string; tenantName: string };
  let theirAsset: { id: string; assetId: string; tenantName: string };

  beforeAll(async () => {
    sim = await startMdrSimulator({ scale: 0.05 });
    gw = await startTestGateway({ mdr: mdrSettings(sim, 'administrator') });
    const { incidents, assets } = await gw.gql(
      '{ incidents(first: 100) { nodes { id incidentId tenantName } } assets(first: 100) { nodes { id assetId tenantName } } }',
    );
    const withTenant = incidents.nodes.filter((i: { tenantName: string | null }) => i.tenantName);
    tenant = withTenant[0].tenantName;
    mine = withTenant[0];
    theirs = withTenant.find((i: { tenantName: string }) => i.tenantName !== tenant);
    theirAsset = assets.nodes.find((a: { tenantName: string | null }) => a.tenantName && a.tenantName !== tenant);
    expect(theirs).toBeDefined();
    expect(theirAsset).toBeDefined();
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });
  beforeEach(() => sim.server.resetStats());

  const scoped = () => gw.as({ role: 'viewer', tenant, subject: 'scoped-viewer' });

  test('a tenant-scoped caller lists only its tenant', async () => {
    const data = await gw.gql(
      '{ incidents(first: 100) { nodes { tenantName } } assets(first: 100) { nodes { tenantName } } }',
      {},
      await scoped(),
    );
    expect(data.incidents.nodes.length).toBeGreaterThan(0);
    expect(new Set(data.incidents.nodes.map((i: { tenantName: string }) => i.tenantName))).toEqual(new Set([tenant]));
    expect(new Set(data.assets.nodes.map((a: { tenantName: string }) => a.tenantName))).toEqual(new Set([tenant]));
  });

  test('asking for another tenant by filter yields nothing of it', async () => {
    const query = `query ($t: [String!]) { incidents(first: 100, filter: { tenantNames: $t }) { nodes { tenantName } }
      assets(first: 100, filter: { tenantNames: $t }) { nodes { tenantName } } }`;
    const { body } = await gw.gqlRaw(query, { t: [theirs.tenantName] }, await scoped());
    const seen = [...(body.data?.incidents?.nodes ?? []), ...(body.data?.assets?.nodes ?? [])].map(
      (n: { tenantName: string }) => n.tenantName,
    );
    expect(seen.filter((t) => t !== tenant)).toEqual([]);
  });

  test("another tenant's incident and asset are unreachable by id and by node(id:)", async () => {
    const query = `query ($iid: String!, $aid: String!, $gid: ID!, $gaid: ID!) {
      incident(incidentId: $iid) { id } asset(assetId: $aid) { id } node(id: $gid) { id } a: node(id: $gaid) { id } nodes(ids: [$gid, $gaid]) { id } }`;
    const { body } = await gw.gqlRaw(
      query,
      { iid: theirs.incidentId, aid: theirAsset.assetId, gid: theirs.id, gaid: theirAsset.id },
      await scoped(),
    );
    expect(body.data ?? {}).toMatchObject({ incident: null, asset: null, node: null, a: null, nodes: [null, null] });
    expect((body.errors ?? []).map((e) => e.extensions?.code)).not.toContain('INTERNAL_SERVER_ERROR');
  });

  test('its own tenant stays reachable by id', async () => {
    const data = await gw.gql('query ($id: ID!) { node(id: $id) { id } }', { id: mine.id }, await scoped());
    expect(data.node).toEqual({ id: mine.id });
  });

  test.each([
    [
      '50 incidents × affected assets × host × sensor',
      '{ incidents(first: 50) { nodes { incidentId affectedAssets { hostName host { name sensor { sensorId } } } } } }',
    ],
    [
      '100 hosts × group × asset × incidents(first: 10)',
      '{ hosts(first: 100) { nodes { name group { name } asset { hostName incidents(first: 10) { nodes { incidentId } } } } } }',
    ],
  ])('a legitimate heavy query passes the default limits: %s', async (_name, query) => {
    const { status, body } = await gw.gqlRaw(query);
    expect(status).toBe(200);
    // KSC and KATA are not configured here: those fields may fail, but nothing is refused as too big.
    const codes = (body.errors ?? []).map((e) => e.extensions?.code);
    expect(codes.filter((c) => c !== 'UPSTREAM_NOT_CONFIGURED')).toEqual([]);
  });

  test('fuzzed MDR filters and inputs: no 5xx, no INTERNAL_SERVER_ERROR, and a scoped caller never sees another tenant', async () => {
    const nasty = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('', '*', '%', '"', '\\', "' OR 1=1 --", '\u0000', '\uD800', 'null'),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 10 }), { maxLength: 5 }),
    );
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const date = fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.string({ maxLength: 25 }),
    );
    const filter = fc.record({
      tenantNames: maybe(fc.oneof(nasty, fc.constant([theirs.tenantName]))),
      searchPhrase: maybe(nasty),
      statuses: maybe(nasty),
      priorities: maybe(nasty),
      assetIds: maybe(nasty),
      hostNames: maybe(nasty),
      createdAfter: maybe(date),
      lastSeenBefore: maybe(date),
    });
    const operations = [
      {
        query: `query ($f: IncidentFilter, $n: Int, $a: String) { incidents(filter: $f, first: $n, after: $a) { nodes { tenantName } } }`,
        variables: fc.record({
          f: maybe(
            filter.map(({ tenantNames, searchPhrase, statuses, priorities, assetIds, createdAfter }) => ({
              tenantNames,
              searchPhrase,
              statuses,
              priorities,
              assetIds,
              createdAfter,
            })),
          ),
          n: maybe(fc.integer({ min: -3, max: 150 })),
          a: maybe(nasty),
        }),
      },
      {
        query: `query ($f: AssetFilter, $n: Int) { assets(filter: $f, first: $n) { nodes { tenantName } } }`,
        variables: fc.record({
          f: maybe(
            filter.map(({ tenantNames, searchPhrase, statuses, hostNames, lastSeenBefore }) => ({
              tenantNames,
              searchPhrase,
              statuses,
              hostNames,
              lastSeenBefore,
            })),
          ),
          n: maybe(fc.integer({ min: -3, max: 150 })),
        }),
      },
      {
        query: `mutation ($i: AddIncidentCommentInput!) { addIncidentComment(input: $i) { __typename } }`,
        variables: fc.record({
          i: fc.record({ incidentId: fc.oneof(nasty, fc.constant(theirs.incidentId)), text: nasty }),
        }),
      },
      {
        query: `mutation ($i: UpdateResponsesInput!) { updateResponses(input: $i) { __typename } }`,
        variables: fc.record({
          i: fc.record({
            responseIds: nasty,
            status: fc.constantFrom('CONFIRMED', 'DECLINED', 'MAYBE'),
            comment: nasty,
          }),
        }),
      },
    ];
    const senior = await gw.as({ role: 'senior_security_officer', tenant, subject: 'scoped-senior' });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations).chain((op) => op.variables.map((variables) => ({ query: op.query, variables }))),
        async ({ query, variables }) => {
          const { status, body } = await gw.gqlRaw(query, variables as Record<string, unknown>, senior);
          expect(status).toBeLessThan(500);
          expect((body.errors ?? []).map((e) => e.extensions?.code)).not.toContain('INTERNAL_SERVER_ERROR');
          const seen = [...((body.data as any)?.incidents?.nodes ?? []), ...((body.data as any)?.assets?.nodes ?? [])];
          expect(seen.filter((n: { tenantName: string }) => n.tenantName !== tenant)).toEqual([]);
        },
      ),
      { seed: 20261123, numRuns: 200, endOnFailure: true },
    );
  }, 120_000);

  test('a viewer cannot comment; a security_officer cannot confirm responses; no MDR call either way', async () => {
    const comment = await gw.gqlRaw(
      'mutation ($i: AddIncidentCommentInput!) { addIncidentComment(input: $i) { __typename } }',
      { i: { incidentId: mine.incidentId, text: 'looked at it' } },
      await gw.as({ role: 'viewer' }),
    );
    expect(comment.status).toBe(403);
    expect(comment.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const confirm = await gw.gqlRaw(
      'mutation ($i: UpdateResponseInput!) { updateResponse(input: $i) { __typename } }',
      { i: { responseId: 'r-1', status: 'CONFIRMED', comment: 'ok' } },
      await gw.as({ role: 'security_officer' }),
    );
    expect(confirm.status).toBe(403);
    expect(confirm.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(sim.server.totalCalls()).toBe(0);
  });
});
