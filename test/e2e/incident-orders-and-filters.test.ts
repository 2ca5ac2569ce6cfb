import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

const LIST = `query ($first: Int, $after: String, $last: Int, $before: String, $orderBy: IncidentOrder, $filter: IncidentFilter) {
  incidents(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, filter: $filter) {
    totalCount
    nodes { incidentId priority creationTime updateTime mitreTactics mitreTechniques }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface Row {
  incidentId: string;
  priority: 'LOW' | 'NORMAL' | 'HIGH';
  creationTime: string;
  updateTime: string;
  mitreTactics: string[];
  mitreTechniques: string[];
}

const RANK = { LOW: 0, NORMAL: 1, HIGH: 2 };

describe('incident orders, backward pages and the filters analysts use', () => {
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

  async function walk(variables: Record<string, unknown>, first = 23) {
    const seen: Row[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let n = 0; n < 100; n++) {
      const data: any = await gw.gql(LIST, { ...variables, first, after });
      totalCount = data.incidents.totalCount;
      seen.push(...data.incidents.nodes);
      if (!data.incidents.pageInfo.hasNextPage) return { seen, totalCount };
      after = data.incidents.pageInfo.endCursor;
    }
    throw new Error('walk did not end');
  }

  /** What MDR holds, in the order asked: the expected answer of a walk. */
  function expected(compare: (a: Row, b: Row) => number): string[] {
    const all: Row[] = sim.routes.incidents.map((i) => ({
      incidentId: i.incident_id,
      priority: i.priority as Row['priority'],
      creationTime: new Date(i.creation_time).toISOString(),
      updateTime: new Date(i.update_time).toISOString(),
      mitreTactics: [],
      mitreTechniques: [],
    }));
    return all.sort(compare).map((i) => i.incidentId);
  }
  const byId = (a: Row, b: Row) => (a.incidentId < b.incidentId ? -1 : a.incidentId > b.incidentId ? 1 : 0);
  const created = (a: Row, b: Row) => Date.parse(a.creationTime) - Date.parse(b.creationTime);

  test('newest first (the console default) pages forward in exactly MDR order, ties included', async () => {
    const { seen, totalCount } = await walk({ orderBy: { field: 'CREATION_TIME', direction: 'DESC' } });
    expect(seen).toHaveLength(totalCount);
    expect(seen.map((i) => i.incidentId)).toEqual(expected((a, b) => created(b, a) || byId(b, a)));
  });

  test('by update time, and by priority (groups HIGH → LOW, each newest first)', async () => {
    const updated = await walk({ orderBy: { field: 'UPDATE_TIME', direction: 'DESC' } });
    expect(updated.seen.map((i) => i.incidentId)).toEqual(
      expected((a, b) => Date.parse(b.updateTime) - Date.parse(a.updateTime) || byId(b, a)),
    );
    sim.server.resetStats();
    const pages = Math.ceil(sim.routes.incidents.length / 23);
    const priority = await walk({ orderBy: { field: 'PRIORITY', direction: 'DESC' } });
    expect(priority.seen).toHaveLength(priority.totalCount);
    expect(priority.seen.map((i) => i.incidentId)).toEqual(
      expected((a, b) => RANK[b.priority] - RANK[a.priority] || created(b, a) || byId(b, a)),
    );
    // MDR has no priority sort: each group is walked by creation time, a page crossing from one
    // group into the next costs one call more (at most two crossings here, plus the last page's end).
    const calls = sim.server.callCount('incidents/list');
    expect(calls).toBeGreaterThanOrEqual(pages);
    expect(calls).toBeLessThanOrEqual(pages + 3);
  });

  test('last/before page backward; a cursor works both ways, whichever walk made it', async () => {
    const forward = (await walk({})).seen.map((i) => i.incidentId);
    const last5: any = await gw.gql(LIST, { last: 5 });
    expect(last5.incidents.nodes.map((i: Row) => i.incidentId)).toEqual(forward.slice(-5));
    expect(last5.incidents.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });

    // Walk backward from the end in pages of 7, then forward again from a cursor that walk made.
    const back: string[] = [];
    const cursors: string[] = [];
    let before: string | null = null;
    for (;;) {
      const data: any = await gw.gql(LIST, { last: 7, before });
      back.unshift(...data.incidents.nodes.map((i: Row) => i.incidentId));
      cursors.push(data.incidents.pageInfo.startCursor);
      if (!data.incidents.pageInfo.hasPreviousPage) break;
      before = data.incidents.pageInfo.startCursor;
    }
    expect(back).toEqual(forward);
    const middle = cursors[Math.floor(cursors.length / 2)]!;
    const from = forward.length - Math.floor(cursors.length / 2) * 7 - 7;
    const after: any = await gw.gql(LIST, { first: 30, after: middle });
    expect(after.incidents.nodes.map((i: Row) => i.incidentId)).toEqual(forward.slice(from + 1, from + 31));
    const beforeIt: any = await gw.gql(LIST, { last: 4, before: middle });
    expect(beforeIt.incidents.nodes.map((i: Row) => i.incidentId)).toEqual(forward.slice(from - 4, from));
  });

  test('MITRE filters take technique and tactic ids, in any letter case', async () => {
    const withT1068 = sim.routes.incidents.filter((i) => (i.mitre_techniques ?? []).some((t) => t.startsWith('T1068')));
    expect(withT1068.length).toBeGreaterThan(0);
    const { seen, totalCount } = await walk({ filter: { mitreTechniques: ['t1068'] } }, 100);
    expect(totalCount).toBe(withT1068.length);
    expect(seen.map((i) => i.incidentId).sort()).toEqual(withT1068.map((i) => i.incident_id).sort());
    for (const i of seen) expect(i.mitreTechniques.some((t) => t.startsWith('T1068'))).toBe(true);

    const escalation = sim.routes.incidents.filter((i) => (i.mitre_tactics ?? []).includes('Privilege escalation'));
    const byTactic = await walk({ filter: { mitreTactics: ['TA0004'] } }, 100);
    expect(byTactic.totalCount).toBe(escalation.length);
    const byName = await walk({ filter: { mitreTactics: ['privilege ESCALATION'] } }, 100);
    expect(byName.totalCount).toBe(escalation.length);
  });

  test('searchPhrase finds incidents by an affected host name', async () => {
    const incident = sim.routes.incidents.find((i) => (i.affected_hosts ?? []).length > 0)!;
    const host = incident.affected_hosts![0]!.split(':')[0]!;
    const onHost = sim.routes.incidents.filter((i) =>
      (i.affected_hosts ?? []).some((h) => h.toLowerCase().startsWith(`${host.toLowerCase()}:`)),
    );
    const { seen } = await walk({ filter: { searchPhrase: host.toLowerCase() } }, 100);
    const ids = seen.map((i) => i.incidentId);
    expect(ids).toEqual(expect.arrayContaining(onHost.map((i) => i.incident_id)));
    expect(ids).toContain(incident.incident_id);
  });

  test('first with last, or a cursor of another order, is BAD_USER_INPUT', async () => {
    const data: any = await gw.gql(LIST, { first: 2 });
    for (const variables of [
      { first: 2, last: 2 },
      { first: 2, before: data.incidents.pageInfo.endCursor },
      { after: data.incidents.pageInfo.endCursor, orderBy: { field: 'PRIORITY', direction: 'ASC' } },
    ]) {
      const { body } = await gw.gqlRaw(LIST, variables);
      expect(body).toMatchObject({
        data: { incidents: null },
        errors: [{ path: ['incidents'], extensions: { code: 'BAD_USER_INPUT' } }],
      });
    }
  });
});
