import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

const PAGE = `query ($after: String, $filter: IncidentFilter) {
  incidents(first: 37, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id incidentId creationTime }
  }
}`;

describe('walking MDR incidents page by page', () => {
  let sim: MdrSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    sim = await startSmallMdr();
    gw = await startTestGateway({ mdr: mdrSettings(sim) });
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });

  async function walk(onPage?: (n: number) => void) {
    const seen: string[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let n = 0; n < 100; n++) {
      const data: any = await gw.gql(PAGE, { after });
      totalCount = data.incidents.totalCount;
      seen.push(...data.incidents.nodes.map((i: { incidentId: string }) => i.incidentId));
      onPage?.(n);
      if (!data.incidents.pageInfo.hasNextPage) return { seen, totalCount };
      after = data.incidents.pageInfo.endCursor;
    }
    throw new Error('walk did not end');
  }

  it('returns exactly totalCount distinct incidents', async () => {
    const { seen, totalCount } = await walk();
    expect(totalCount).toBe(200);
    expect(seen).toHaveLength(200);
    expect(new Set(seen).size).toBe(200);
  });

  it('stays exact when incidents are created mid-walk (keyset cursor, not page numbers)', async () => {
    const before = await walk();
    const created: string[] = [];
    const { seen, totalCount } = await walk((n) => {
      if (n < 3) created.push(sim.createIncident().incident_id, sim.createIncident().incident_id);
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(totalCount);
    expect(totalCount).toBe(before.totalCount + 6);
    expect(seen).toEqual(expect.arrayContaining([...before.seen, ...created]));
  });

  it('costs one incidents/list per page, and a count only when totalCount is asked for', async () => {
    sim.server.resetStats();
    await gw.gql('{ incidents(first: 37) { nodes { incidentId } } }');
    expect(sim.server.callCount('incidents/list')).toBe(1);
    expect(sim.server.callCount('incidents/count')).toBe(0);
  });
});
