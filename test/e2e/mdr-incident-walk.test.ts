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

  async function walk(onPage?: (n: number, seen: string[]) => void, filter?: Record<string, unknown>) {
    const seen: string[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let n = 0; n < 100; n++) {
      const data: any = await gw.gql(PAGE, { after, filter });
      totalCount = data.incidents.totalCount;
      seen.push(...data.incidents.nodes.map((i: { incidentId: string }) => i.incidentId));
      onPage?.(n, seen);
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

  it('misses none when incidents already walked leave the filter mid-walk, ties at page ends included (page numbers would skip)', async () => {
    const open = sim.routes.incidents.filter((i) => i.status === 'Open').map((i) => i.incident_id);
    expect(open.length).toBeGreaterThan(37 * 2);
    try {
      // After each page, close five incidents of that page: every later item moves up by five, so
      // an offset-based next page would start five too far and never return them.
      const { seen } = await walk(
        (_n, walked) => {
          for (const id of walked.slice(-5)) sim.routes.incidents.find((i) => i.incident_id === id)!.status = 'Closed';
        },
        { statuses: ['OPEN'] },
      );
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...open].sort());
    } finally {
      for (const i of sim.routes.incidents) if (open.includes(i.incident_id)) i.status = 'Open';
    }
  });

  it("hands a page's affected host names to its joins before the page's records are built", async () => {
    const events: string[] = [];
    let names: string[][] = [];
    const records = await gw.upstreams.mdr!.incidentsAfter({}, null, 12, {
      listed: async (hostNames) => {
        names = hostNames;
        events.push('listed');
        await Promise.resolve();
        events.push('joins on the wire');
      },
    });
    events.push('records');
    expect(events).toEqual(['listed', 'joins on the wire', 'records']);
    expect(names).toEqual(records.map((i) => i.affectedHosts.map((h) => h.hostName)));
    expect(names.flat().length).toBeGreaterThan(12);
  });

  it('costs one incidents/list per page, and a count only when totalCount is asked for', async () => {
    sim.server.resetStats();
    await gw.gql('{ incidents(first: 37) { nodes { incidentId } } }');
    expect(sim.server.callCount('incidents/list')).toBe(1);
    expect(sim.server.callCount('incidents/count')).toBe(0);
  });
});
