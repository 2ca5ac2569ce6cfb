import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

// Asset.incidents over a page of assets shares one incidents/list; each asset's connection must be
// exactly what it would be asked alone (same nodes, totals, cursors), and later pages continue it.

const CONNECTION = 'totalCount pageInfo { hasNextPage endCursor } nodes { incidentId }';

describe('Asset.incidents batched across a page of assets', () => {
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

  it.each([
    ['no filter', ''],
    ['open incidents', 'filter: { statuses: [OPEN] }, '],
  ])(
    '%s: 40 assets cost one assets/list and one incidents/list, and each equals the asset asked alone',
    async (_name, filter) => {
      const page = await gw.gql(
        `{ assets(first: 40) { nodes { assetId incidents(${filter}first: 2) { ${CONNECTION} } } } }`,
      );
      expect(sim.server.stats().calls).toEqual({ 'assets/list': 1, 'incidents/list': 1 });
      const assets: { assetId: string; incidents: any }[] = page.assets.nodes;
      expect(assets.some((a) => a.incidents.pageInfo.hasNextPage)).toBe(true);

      for (const a of assets) {
        const alone = await gw.gql(
          `query ($id: String!) { asset(assetId: $id) { incidents(${filter}first: 2) { ${CONNECTION} } } }`,
          { id: a.assetId },
        );
        expect(a.incidents).toEqual(alone.asset.incidents);
      }
    },
  );

  it("the batched page's end cursor continues the asset's own walk to the end, without repeats", async () => {
    const page = await gw.gql(`{ assets(first: 40) { nodes { assetId incidents(first: 1) { ${CONNECTION} } } } }`);
    const busiest = [...page.assets.nodes].sort((a: any, b: any) => b.incidents.totalCount - a.incidents.totalCount)[0];
    expect(busiest.incidents.totalCount).toBeGreaterThan(1);
    const seen: string[] = busiest.incidents.nodes.map((n: any) => n.incidentId);
    let cursor: string | null = busiest.incidents.pageInfo.endCursor;
    while (cursor) {
      const next = await gw.gql(
        `query ($id: String!, $after: String) { asset(assetId: $id) { incidents(first: 1, after: $after) { ${CONNECTION} } } }`,
        {
          id: busiest.assetId,
          after: cursor,
        },
      );
      seen.push(...next.asset.incidents.nodes.map((n: any) => n.incidentId));
      cursor = next.asset.incidents.pageInfo.hasNextPage ? next.asset.incidents.pageInfo.endCursor : null;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(busiest.incidents.totalCount);
  });
});
