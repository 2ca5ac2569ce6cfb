import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

describe('MDR graph: upstream call counts, roles, tenants, nested fields', () => {
  let sim: MdrSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    sim = await startSmallMdr();
    gw = await startTestGateway({ mdr: mdrSettings(sim) });
    await gw.gql('{ assets(first: 1) { nodes { assetId } } }');
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });
  beforeEach(() => sim.server.resetStats());

  it('a page of 50 incidents with affected assets and responses costs exactly 2 MDR calls', async () => {
    const data = await gw.gql(`{
      incidents(first: 50) {
        nodes { incidentId affectedAssets { hostName } responses { nodes { status vendorStatus } } }
      }
    }`);
    expect(data.incidents.nodes).toHaveLength(50);
    expect(data.incidents.nodes.every((i: any) => i.affectedAssets.length > 0)).toBe(true);
    expect(data.incidents.nodes.some((i: any) => i.responses.nodes.length > 0)).toBe(true);
    // incidents/list embeds responses; affected assets are one assets/list by host_names.
    expect(sim.server.stats().calls).toEqual({ 'incidents/list': 1, 'assets/list': 1 });
  });

  it("responses' assets batch with the affected assets: still 2 MDR calls for 50 incidents", async () => {
    const data = await gw.gql(`{
      incidents(first: 50) {
        nodes { affectedAssets { assetId } responses { nodes { asset { assetId hostName } incident { incidentId } } } }
      }
    }`);
    const assets = data.incidents.nodes.flatMap((i: any) => i.responses.nodes.map((r: any) => r.asset));
    expect(assets.length).toBeGreaterThan(0);
    expect(assets.every((a: any) => a && a.hostName)).toBe(true);
    // Response.incident is the parent, fetched by id: those are the only extra calls.
    const calls = sim.server.stats().calls;
    expect({
      list: calls['incidents/list'],
      assets: calls['assets/list'],
      assetDetails: calls['assets/details'],
    }).toEqual({
      list: 1,
      assets: 1,
      assetDetails: undefined,
    });
  });

  it('incident details with HTML description, comments, responses, their asset and incident, and node(id)', async () => {
    const id = sim.routes.incidents.find(
      (i) => (i.responses?.length ?? 0) > 0 && (i.comments?.length ?? 0) > 0,
    )!.incident_id;
    const data = await gw.gql(
      `query ($id: String!) { incident(incidentId: $id) {
        id incidentId description html: description(format: HTML) priority status creationTime
        comments { nodes { id authorName text html: text(format: HTML) } }
        responses { nodes { id responseId type status parameters asset { hostName } incident { incidentId } } }
      } }`,
      { id },
    );
    const incident = data.incident;
    expect(incident.description).toMatch(/^## /);
    expect(incident.html).toMatch(/^<h2>/);
    expect(incident.comments.nodes[0].html).toContain('<strong>');
    expect(incident.responses.nodes[0].incident.incidentId).toBe(id);
    const node = await gw.gql('query ($id: ID!) { node(id: $id) { __typename ... on Response { responseId } } }', {
      id: incident.responses.nodes[0].id,
    });
    expect(node.node).toEqual({ __typename: 'Response', responseId: incident.responses.nodes[0].responseId });
    const comment = await gw.gql('query ($id: ID!) { node(id: $id) { __typename ... on Comment { commentId } } }', {
      id: incident.comments.nodes[0].id,
    });
    expect(comment.node.__typename).toBe('Comment');
  });

  it('assets with a filter, totalCount, and Asset.incidents', async () => {
    const data = await gw.gql(`{
      assets(first: 5, filter: { statuses: [OK, WARNING] }) {
        totalCount
        nodes { id assetId hostName status networkInterfaces { ipAddresses } incidents(first: 3) { totalCount nodes { incidentId } } }
      }
    }`);
    expect(data.assets.nodes.length).toBeGreaterThan(0);
    expect(data.assets.totalCount).toBe(sim.routes.assets.filter((a) => ['OK', 'WARNING'].includes(a.status)).length);
    const asset = data.assets.nodes[0];
    const node = await gw.gql('query ($id: ID!) { node(id: $id) { ... on Asset { assetId } } }', { id: asset.id });
    expect(node.node.assetId).toBe(asset.assetId);
  });

  it('updateResponse changes the data; a security officer connection gets UPSTREAM_FORBIDDEN and changes nothing', async () => {
    const target = sim.routes.incidents.flatMap((i) => i.responses ?? []).find((r) => r.status === 'Waiting')!;
    const officerGw = await startTestGateway({ mdr: mdrSettings(sim, 'security_officer') });
    try {
      const { body } = await officerGw.gqlRaw(
        'mutation ($id: String!) { updateResponse(input: { responseId: $id, status: CONFIRMED, comment: "ok" }) { response { status } } }',
        { id: target.response_id },
      );
      expect(body.errors?.[0]).toMatchObject({
        path: ['updateResponse'],
        extensions: { code: 'UPSTREAM_FORBIDDEN', upstream: 'MDR' },
      });
      expect(target.status).toBe('Waiting');
      // A role refusal is not mistaken for an expired token: no renewal was attempted.
      expect(sim.server.callCount('session/confirm')).toBe(1);
    } finally {
      await officerGw.stop();
    }
    const data = await gw.gql(
      'mutation ($id: String!) { updateResponse(input: { responseId: $id, status: CONFIRMED, comment: "ok" }) { response { status vendorStatus comment incident { incidentId } } } }',
      { id: target.response_id },
    );
    expect(data.updateResponse.response).toMatchObject({
      status: 'CONFIRMED',
      vendorStatus: 'Confirmed',
      comment: 'ok',
    });
    expect(target.status).toBe('Confirmed');
  });

  it("a tenant-scoped caller sees only its tenants and gets null for other tenants' objects", async () => {
    const headers = await gw.as({ role: 'viewer', tenant: 'Northwind Retail' } as any);
    const data = await gw.gql('{ incidents(first: 50) { totalCount nodes { tenantName } } }', undefined, headers);
    const expected = sim.routes.incidents.filter((i) => i.tenant_name === 'Northwind Retail').length;
    expect(data.incidents.totalCount).toBe(expected);
    expect(new Set(data.incidents.nodes.map((i: any) => i.tenantName))).toEqual(new Set(['Northwind Retail']));
    const foreign = sim.routes.incidents.find((i) => i.tenant_name !== 'Northwind Retail')!;
    const one = await gw.gql(
      'query ($id: String!) { incident(incidentId: $id) { incidentId } }',
      { id: foreign.incident_id },
      headers,
    );
    expect(one.incident).toBeNull();
  });

  it("a tenant-scoped caller cannot decide on another tenant's response (NOT_FOUND, data unchanged)", async () => {
    const senior = await gw.as({ role: 'senior_security_officer', tenant: 'Northwind Retail' });
    const foreign = sim.routes.incidents
      .filter((i) => i.tenant_name !== 'Northwind Retail')
      .flatMap((i) => i.responses ?? [])
      .find((r) => r.status === 'Waiting')!;
    const { body } = await gw.gqlRaw(
      'mutation ($id: String!) { updateResponse(input: { responseId: $id, status: CONFIRMED, comment: "x" }) { response { status } } }',
      { id: foreign.response_id },
      senior,
    );
    expect(body.errors?.[0]).toMatchObject({ path: ['updateResponse'], extensions: { code: 'NOT_FOUND' } });
    expect(foreign.status).toBe('Waiting');
    const own = sim.routes.incidents
      .filter((i) => i.tenant_name === 'Northwind Retail')
      .flatMap((i) => i.responses ?? [])
      .find((r) => r.status === 'Waiting')!;
    const ok = await gw.gql(
      'mutation ($id: String!) { updateResponse(input: { responseId: $id, status: DECLINED, comment: "x" }) { response { status } } }',
      { id: own.response_id },
      senior,
    );
    expect(ok.updateResponse.response.status).toBe('DECLINED');
  });

  it('an MDR API connection scoped to a tenant only returns that tenant', async () => {
    const scoped = await startTestGateway({ mdr: mdrSettings(sim, 'administrator', true) });
    try {
      const data = await scoped.gql('{ assets(first: 100) { totalCount nodes { tenantName } } }');
      expect(new Set(data.assets.nodes.map((a: any) => a.tenantName))).toEqual(new Set(['Northwind Retail']));
      expect(data.assets.totalCount).toBe(sim.routes.assets.filter((a) => a.tenant_name === 'Northwind Retail').length);
    } finally {
      await scoped.stop();
    }
  });

  it('an upstream failure nulls only the field it affects, with a coded error at its path', async () => {
    sim.routes.failEndpoint('incidents/details', 503);
    try {
      const { status, body } = await gw.gqlRaw(
        '{ incidents(first: 2) { nodes { incidentId summary html: description(format: HTML) } } }',
      );
      expect(status).toBe(200);
      expect(body.data?.incidents.nodes).toHaveLength(2);
      expect(body.data?.incidents.nodes[0]).toMatchObject({
        incidentId: expect.any(String),
        summary: expect.any(String),
        html: null,
      });
      // One failure, one error: both fields it nulled are in its paths.
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]).toMatchObject({
        path: ['incidents', 'nodes', expect.any(Number), 'html'],
        extensions: {
          code: 'UPSTREAM_UNAVAILABLE',
          upstream: 'MDR',
          paths: expect.arrayContaining([
            ['incidents', 'nodes', 0, 'html'],
            ['incidents', 'nodes', 1, 'html'],
          ]),
        },
      });
      expect(body.errors?.[0]?.message).not.toContain('Injected');
    } finally {
      sim.routes.failEndpoint('incidents/details', null);
    }
  });

  it('bad input gets coded errors, not crashes', async () => {
    const cases: [string, string][] = [
      ['{ incidents(first: 1000) { nodes { incidentId } } }', 'BAD_USER_INPUT'],
      ['{ incidents(first: -1) { nodes { incidentId } } }', 'BAD_USER_INPUT'],
      ['{ incidents(first: 5, after: "garbage") { nodes { incidentId } } }', 'BAD_USER_INPUT'],
      ['{ assets(first: 5, after: "bm9wZQ") { nodes { assetId } } }', 'BAD_USER_INPUT'],
      ['{ node(id: "%%%") { id } }', 'BAD_USER_INPUT'],
      [
        'mutation { updateResponse(input: { responseId: "MDR_nope", status: DECLINED, comment: "x" }) { response { id } } }',
        'NOT_FOUND',
      ],
      ['mutation { addIncidentComment(input: { incidentId: "nope", text: "x" }) { comment { id } } }', 'NOT_FOUND'],
      [
        'mutation { addIncidentComment(input: { incidentId: "nope", text: "  " }) { comment { id } } }',
        'BAD_USER_INPUT',
      ],
    ];
    for (const [query, code] of cases) {
      const { status, body } = await gw.gqlRaw(query);
      expect({ query, status, code: body.errors?.[0]?.extensions?.code }).toEqual({
        query,
        status: expect.any(Number),
        code,
      });
    }
    const missing = await gw.gql(
      '{ incident(incidentId: "does-not-exist") { incidentId } asset(assetId: "0x00") { assetId } }',
    );
    expect(missing).toEqual({ incident: null, asset: null });
  });
});
