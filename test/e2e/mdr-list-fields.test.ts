import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { recordRequests } from '../helpers/simulator-requests';

const INCIDENT_FIELDS = `
  incidentId incidentNumber summary description mitreTactics mitreTechniques detectionTechnology attackStage
  statusDescription resolution priority status tenantName creationTime updateTime affectedAssets { hostName }
  responses(first: 50) { nodes { responseId status } } comments(first: 50) { nodes { commentId text } }`;

const ASSET_FIELDS = `assetId hostName domain osVersion status isIsolated installedProductInfo tenantName firstSeen lastSeen
  networkInterfaces { ipAddresses macAddress description }`;

describe('MDR incident lists and asset joins ask only for the parts the operation reads', () => {
  let sim: MdrSimulator;
  let gw: TestGateway;
  let requests: ReturnType<typeof recordRequests>;

  /** The `fields` of every `list` call (incidents/list by default) answered since the last call. */
  const listFields = (list = 'incidents/list') => requests.take<{ fields?: string[] }>(list).map((b) => b.fields);

  beforeAll(async () => {
    sim = await startSmallMdr();
    gw = await startTestGateway({ mdr: mdrSettings(sim) });
    await gw.gql('{ assets(first: 1) { nodes { assetId } } }');
    requests = recordRequests(sim.routes);
  });
  afterAll(async () => {
    requests?.restore();
    await gw?.stop();
    await sim?.close();
  });
  beforeEach(() => {
    requests.clear();
    sim.server.resetStats();
  });

  it('a page of summaries leaves out descriptions, MITRE lists, responses and comments', async () => {
    const data = await gw.gql(
      '{ incidents(first: 20) { nodes { incidentId summary priority affectedAssets { hostName } } } }',
    );
    expect(data.incidents.nodes).toHaveLength(20);
    const [fields] = listFields();
    expect(fields).toEqual(expect.arrayContaining(['incident_id', 'summary', 'priority', 'affected_hosts']));
    for (const left of ['description', 'mitre_tactics', 'responses', 'comments']) expect(fields).not.toContain(left);
    const first = sim.routes.incidents.find((i) => i.incident_id === data.incidents.nodes[0].incidentId)!;
    expect(data.incidents.nodes[0]).toMatchObject({ summary: first.summary });
  });

  it('a page reading every part gives what each incident alone gives, in one list call', async () => {
    const page = await gw.gql(`{ incidents(first: 10) { nodes { ${INCIDENT_FIELDS} } } }`);
    const [fields] = listFields();
    expect(fields).toEqual(
      expect.arrayContaining([
        'description',
        'mitre_tactics',
        'mitre_techniques',
        'responses',
        'comments',
        'resolution',
      ]),
    );
    expect(sim.server.stats().calls['responses/list']).toBeUndefined();
    for (const incident of page.incidents.nodes.slice(0, 3)) {
      const alone = await gw.gql(`query ($id: String!) { incident(incidentId: $id) { ${INCIDENT_FIELDS} } }`, {
        id: incident.incidentId,
      });
      expect(incident).toEqual(alone.incident);
    }
  });

  it('an asset page’s incidents ask for the parts they read', async () => {
    const data = await gw.gql(
      '{ assets(first: 20) { nodes { assetId incidents(first: 3) { nodes { incidentId mitreTactics } } } } }',
    );
    expect(data.assets.nodes.some((a: any) => a.incidents.nodes.length > 0)).toBe(true);
    const fields = listFields();
    expect(fields.length).toBeGreaterThan(0);
    for (const f of fields) {
      expect(f).toContain('mitre_tactics');
      expect(f).not.toContain('responses');
    }
  });

  it('a lookup by id in the same operation gets whole incidents: a response is found through its incident', async () => {
    // A response of an incident on the page, so the page's record is the one node(id) reads.
    const page = await gw.gql('{ incidents(first: 50) { nodes { responses(first: 1) { nodes { id responseId } } } } }');
    const response = page.incidents.nodes.flatMap((i: any) => i.responses.nodes)[0];
    expect(response).toBeDefined();
    requests.clear();
    const data = await gw.gql(
      'query ($id: ID!) { incidents(first: 50) { nodes { incidentId } } node(id: $id) { ... on Response { responseId } } }',
      { id: response.id },
    );
    expect(data.node).toEqual({ responseId: response.responseId });
    expect(listFields()).toEqual([undefined]);
  });

  it('affected assets read for their state ask for id, host name, status, isolation and tenant', async () => {
    const { incidents } = await gw.gql(
      '{ incidents(first: 20) { nodes { affectedAssets { assetId status isIsolated } } } }',
    );
    expect(listFields('assets/list')).toEqual([['asset_id', 'host_name', 'status', 'isolation', 'tenant_name']]);
    const assets = incidents.nodes.flatMap((i: { affectedAssets: unknown[] }) => i.affectedAssets);
    expect(assets.length).toBeGreaterThan(0);
    const full = await gw.gql(`query ($id: String!) { asset(assetId: $id) { ${ASSET_FIELDS} } }`, {
      id: assets[0].assetId,
    });
    expect(assets[0]).toEqual({
      assetId: full.asset.assetId,
      status: full.asset.status,
      isIsolated: full.asset.isIsolated,
    });
  });

  it('a join reading interfaces and times asks for them too, and reads what the asset alone gives', async () => {
    const { incidents } = await gw.gql(`{ incidents(first: 10) { nodes { affectedAssets { ${ASSET_FIELDS} } } } }`);
    const [fields] = listFields('assets/list');
    expect(fields).toEqual(
      expect.arrayContaining(['network_interfaces', 'first_seen', 'last_seen', 'installed_product_info', 'os_version']),
    );
    const joined = incidents.nodes.flatMap((i: { affectedAssets: { assetId: string }[] }) => i.affectedAssets)[0];
    const alone = await gw.gql(`query ($id: String!) { asset(assetId: $id) { ${ASSET_FIELDS} } }`, {
      id: joined.assetId,
    });
    expect(joined).toEqual(alone.asset);
  });
});
