import { startTestGateway, tempStateDir } from '../helpers/gateway';
import type { GraphQLBody, TestGateway } from '../helpers/gateway';
import { kscSettings } from '../helpers/ksc';
import { mdrSettings } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { startMdrSimulator } from '../../src/upstreams/mdr/simulator';
import { startKscSimulator } from '../../src/upstreams/ksc/simulator';
import type { KscSimulator } from '../../src/upstreams/ksc/simulator';

/** Pages of 1,000 keep a walk past MDR's 10,000-row window to a dozen requests. */
const ENV = { GRAPHQL_MAX_PAGE_SIZE: '1000', GRAPHQL_MAX_COST: '10000000' };

type Page<T> = { totalCount?: number; nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** Walks a connection forward to its end; totalCount is asked on the first page only. */
async function walk<T>(gw: TestGateway, field: string, query: string, variables: Record<string, unknown> = {}) {
  const seen: T[] = [];
  let after: string | null = null;
  let totalCount = -1;
  for (let n = 0; n < 200; n++) {
    const data: Record<string, Page<T>> = await gw.gql(query, { ...variables, after, withTotal: after === null });
    const page: Page<T> = data[field]!;
    if (page.totalCount !== undefined) totalCount = page.totalCount;
    seen.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return { seen, totalCount, pages: n + 1 };
    after = page.pageInfo.endCursor;
  }
  throw new Error('walk did not end');
}

const ASSETS = `query ($after: String, $withTotal: Boolean!, $orderBy: AssetOrder) {
  assets(first: 1000, after: $after, orderBy: $orderBy) {
    totalCount @include(if: $withTotal)
    nodes { assetId firstSeen lastSeen hostName }
    pageInfo { hasNextPage endCursor }
  }
}`;

type AssetRow = { assetId: string; firstSeen: string; lastSeen: string; hostName: string };

/** Non-decreasing (or non-increasing) in `key`, ties broken by id the same way. */
function inOrder<T>(rows: T[], key: (r: T) => string | number, id: (r: T) => string, descending = false): boolean {
  return rows.every((r, i) => {
    if (i === 0) return true;
    const [a, b] = [rows[i - 1]!, r];
    const [x, y] = descending ? [key(b), key(a)] : [key(a), key(b)];
    return x < y || (x === y && (descending ? id(b) < id(a) : id(a) < id(b)));
  });
}

describe('MDR lists page to their end past the 10,000-row window', () => {
  let sim: MdrSimulator;
  let gw: TestGateway;
  beforeAll(async () => {
    // Scale 4.8: about 10,400 assets, more than page × size may reach.
    sim = await startMdrSimulator({ scale: 4.8, seed: 3 });
    gw = await startTestGateway({ mdr: mdrSettings(sim), env: ENV });
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });

  test('walking assets yields totalCount distinct assets in first-seen order, one assets/list per page', async () => {
    sim.server.resetStats();
    const { seen, totalCount, pages } = await walk<AssetRow>(gw, 'assets', ASSETS);
    expect(totalCount).toBeGreaterThan(10_000);
    expect(seen).toHaveLength(totalCount);
    expect(new Set(seen.map((a) => a.assetId)).size).toBe(totalCount);
    expect(
      inOrder(
        seen,
        (a) => Date.parse(a.firstSeen),
        (a) => a.assetId,
      ),
    ).toBe(true);
    expect(sim.server.callCount('assets/list')).toBe(pages);
  });

  test('by last seen, newest first, the walk reaches the end too', async () => {
    const orderBy = { field: 'LAST_SEEN', direction: 'DESC' };
    const { seen, totalCount } = await walk<AssetRow>(gw, 'assets', ASSETS, { orderBy });
    expect(seen).toHaveLength(totalCount);
    expect(new Set(seen.map((a) => a.assetId)).size).toBe(totalCount);
    expect(
      inOrder(
        seen,
        (a) => Date.parse(a.lastSeen),
        (a) => a.assetId,
        true,
      ),
    ).toBe(true);
  });

  test('by name MDR pages by number only: the walk is in name order and stops at the window with BAD_USER_INPUT', async () => {
    const orderBy = { field: 'NAME', direction: 'ASC' };
    // From the 8,999th asset by name (an offset cursor, as the gateway makes them for this order).
    let after: string | null = Buffer.from('mdr-assets/name:asc:{"o":8998}').toString('base64url');
    const names: string[] = [];
    for (;;) {
      const { body }: { body: GraphQLBody<any> } = await gw.gqlRaw(ASSETS, { after, withTotal: false, orderBy });
      if (body.errors) {
        expect(body).toEqual({
          data: { assets: null },
          errors: [
            expect.objectContaining({
              path: ['assets'],
              message: expect.stringContaining('order by FIRST_SEEN or LAST_SEEN'),
              extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
            }),
          ],
        });
        break;
      }
      names.push(...body.data!.assets.nodes.map((a: AssetRow) => a.hostName));
      after = body.data!.assets.pageInfo.endCursor;
    }
    const expected = sim.routes.assets.map((a) => a.host_name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(names).toEqual(expected.slice(8_999, 9_999));
  });
});

describe('MDR incidents page to their end in any order', () => {
  let sim: MdrSimulator;
  let gw: TestGateway;
  beforeAll(async () => {
    // Scale 1.02: 10,200 incidents, just past the window.
    sim = await startMdrSimulator({ scale: 1.02, seed: 3 });
    gw = await startTestGateway({ mdr: mdrSettings(sim), env: ENV });
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });

  const INCIDENTS = `query ($after: String, $withTotal: Boolean!, $orderBy: IncidentOrder) {
    incidents(first: 1000, after: $after, orderBy: $orderBy) {
      totalCount @include(if: $withTotal)
      nodes { incidentId creationTime }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  type IncidentRow = { incidentId: string; creationTime: string };

  let newestFirst: string[] = [];

  test('newest first: totalCount distinct incidents, in order, one incidents/list per page', async () => {
    sim.server.resetStats();
    const orderBy = { field: 'CREATION_TIME', direction: 'DESC' };
    const { seen, totalCount, pages } = await walk<IncidentRow>(gw, 'incidents', INCIDENTS, { orderBy });
    newestFirst = seen.map((i) => i.incidentId);
    expect(totalCount).toBeGreaterThan(10_000);
    expect(seen).toHaveLength(totalCount);
    expect(new Set(seen.map((i) => i.incidentId)).size).toBe(totalCount);
    expect(
      inOrder(
        seen,
        (i) => Date.parse(i.creationTime),
        (i) => i.incidentId,
        true,
      ),
    ).toBe(true);
    expect(sim.server.callCount('incidents/list')).toBe(pages);
  });

  test('backward from the end of the oldest-first list (last/before), the same incidents as newest first', async () => {
    expect(newestFirst.length).toBeGreaterThan(10_000);
    const back: IncidentRow[] = [];
    let before: string | null = null;
    for (let n = 0; n < 50; n++) {
      const data: any = await gw.gql(
        `query ($before: String) {
          incidents(last: 1000, before: $before) {
            nodes { incidentId creationTime }
            pageInfo { hasPreviousPage startCursor }
          }
        }`,
        { before },
      );
      back.unshift(...data.incidents.nodes);
      if (!data.incidents.pageInfo.hasPreviousPage) break;
      before = data.incidents.pageInfo.startCursor;
    }
    expect(back.map((i) => i.incidentId)).toEqual([...newestFirst].reverse());
  });
});

describe('KSC hosts page to their end in the order KSC sorts them', () => {
  let ksc: KscSimulator;
  let gw: TestGateway;
  beforeAll(async () => {
    const stateDir = tempStateDir();
    ksc = await startKscSimulator({ scale: 1, stateDir });
    gw = await startTestGateway({ ksc: kscSettings(ksc), stateDir, env: ENV });
  });
  afterAll(async () => {
    await gw?.stop();
    await ksc?.close();
  });

  const HOSTS = `query ($after: String, $withTotal: Boolean!, $orderBy: HostOrder, $filter: HostFilter) {
    hosts(first: 1000, after: $after, orderBy: $orderBy, filter: $filter) {
      totalCount @include(if: $withTotal)
      nodes { hostId name lastVisible osName }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  type HostRow = { hostId: string; name: string; lastVisible: string | null; osName: string | null };

  test('by last seen, newest first: totalCount distinct hosts, in order', async () => {
    const orderBy = { field: 'LAST_SEEN', direction: 'DESC' };
    const { seen, totalCount } = await walk<HostRow>(gw, 'hosts', HOSTS, { orderBy });
    expect(totalCount).toBeGreaterThan(1_000);
    expect(seen).toHaveLength(totalCount);
    expect(new Set(seen.map((h) => h.hostId)).size).toBe(totalCount);
    const times = seen.map((h) => Date.parse(h.lastVisible ?? '1970-01-01T00:00:00Z'));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  test('by name, descending, and osName matching as a contains in any letter case', async () => {
    const { seen, totalCount } = await walk<HostRow>(gw, 'hosts', HOSTS, {
      orderBy: { field: 'NAME', direction: 'DESC' },
    });
    expect(seen).toHaveLength(totalCount);
    const names = seen.map((h) => h.name.toLowerCase());
    expect(names).toEqual([...names].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));

    const os = seen.find((h) => h.osName && /\s/.test(h.osName))!.osName!;
    const part = os.split(/\s+/).slice(1).join(' ').toUpperCase();
    const matching = await walk<HostRow>(gw, 'hosts', HOSTS, { filter: { osName: part } });
    const expected = seen.filter((h) => (h.osName ?? '').toUpperCase().includes(part)).map((h) => h.hostId);
    expect(matching.seen.length).toBeGreaterThan(0);
    expect(matching.seen.map((h) => h.hostId).sort()).toEqual(expected.sort());
  });
});
