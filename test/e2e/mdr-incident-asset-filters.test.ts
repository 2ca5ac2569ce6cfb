import type * as wire from '../../src/upstreams/mdr/wire';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';

const INCIDENTS = `query ($f: IncidentFilter) { incidents(first: 100, filter: $f) {
  totalCount
  nodes {
    incidentId incidentNumber summary priority status resolution detectionTechnology mitreTactics mitreTechniques
    creationTime updateTime responses { nodes { type status } }
  }
} }`;

const ASSETS = `query ($f: AssetFilter) { assets(first: 100, filter: $f) {
  totalCount
  nodes { assetId hostName domain osVersion isIsolated installedProductInfo networkInterfaces { ipAddresses macAddress } firstSeen lastSeen }
} }`;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Every filter field, checked two ways: each returned node satisfies it (read through GraphQL), and
 * the count and ids equal what the simulator's own data holds for it. A filter the gateway dropped on
 * the way would return too many; the data is checked to make each case narrow but not empty.
 */
describe('MDR incident and asset filters through GraphQL, against the simulator data', () => {
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
  beforeEach(() => sim.server.resetStats());

  type IncidentNode = {
    incidentId: string;
    incidentNumber: number;
    summary: string;
    priority: string;
    status: string;
    resolution: string | null;
    detectionTechnology: string | null;
    mitreTactics: string[];
    mitreTechniques: string[];
    creationTime: string;
    updateTime: string;
    responses: { nodes: { type: string; status: string }[] };
  };

  /** Runs the filter and checks it against `expected`, the simulator's incidents that should match. */
  async function expectIncidents(
    filter: Record<string, unknown>,
    expected: (i: wire.Incident) => boolean,
    satisfies: (n: IncidentNode) => boolean,
  ) {
    const all = sim.routes.incidents;
    const want = all
      .filter(expected)
      .sort((a, b) => a.creation_time - b.creation_time || cmp(a.incident_id, b.incident_id));
    // A useful case: some incidents match, some do not.
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(all.length);
    const { incidents } = await gw.gql(INCIDENTS, { f: filter });
    expect(incidents.nodes.length).toBeGreaterThan(0);
    expect(incidents.nodes.filter((n: IncidentNode) => !satisfies(n))).toEqual([]);
    expect(incidents.totalCount).toBe(want.length);
    expect(incidents.nodes.map((n: IncidentNode) => n.incidentId)).toEqual(
      want.slice(0, 100).map((i) => i.incident_id),
    );
    return incidents.nodes as IncidentNode[];
  }

  const sorted = () => [...sim.routes.incidents].sort((a, b) => a.creation_time - b.creation_time);

  test('mitreTactics: incidents with any of the tactics', async () => {
    const tactics = ['Discovery', 'Impact'];
    await expectIncidents(
      { mitreTactics: tactics },
      (i) => (i.mitre_tactics ?? []).some((t) => tactics.includes(t)),
      (n) => n.mitreTactics.some((t) => tactics.includes(t)),
    );
  });

  test('mitreTechniques: incidents with any of the techniques', async () => {
    const techniques = ['T1003.001: LSASS Memory', 'T1490: Inhibit System Recovery'];
    await expectIncidents(
      { mitreTechniques: techniques },
      (i) => (i.mitre_techniques ?? []).some((t) => techniques.includes(t)),
      (n) => n.mitreTechniques.some((t) => techniques.includes(t)),
    );
  });

  test('responseTypes: incidents with a response of one of the types', async () => {
    await expectIncidents(
      { responseTypes: ['ISOLATE_HOST'] },
      (i) => (i.responses ?? []).some((r) => r.type === 'ISOLATE_HOST'),
      (n) => n.responses.nodes.some((r) => r.type === 'ISOLATE_HOST'),
    );
  });

  test('responseStatuses: PENDING is the simulator\'s "Waiting"; DECLINED; OTHER adds nothing', async () => {
    await expectIncidents(
      { responseStatuses: ['PENDING'] },
      (i) => (i.responses ?? []).some((r) => r.status === 'Waiting'),
      (n) => n.responses.nodes.some((r) => r.status === 'PENDING'),
    );
    await expectIncidents(
      { responseStatuses: ['DECLINED', 'OTHER'] },
      (i) => (i.responses ?? []).some((r) => r.status === 'Declined'),
      (n) => n.responses.nodes.some((r) => r.status === 'DECLINED'),
    );
  });

  test('resolutions: FALSE_POSITIVE', async () => {
    await expectIncidents(
      { resolutions: ['FALSE_POSITIVE'] },
      (i) => i.resolution === 'False positive',
      (n) => n.resolution === 'FALSE_POSITIVE',
    );
  });

  test('detectionTechnologies: any of the technologies', async () => {
    const technologies = ['KATA', 'IDS'];
    await expectIncidents(
      { detectionTechnologies: technologies },
      (i) => technologies.includes(i.detection_technology ?? ''),
      (n) => technologies.includes(n.detectionTechnology ?? ''),
    );
  });

  test('priorities: HIGH alone, and LOW or HIGH', async () => {
    await expectIncidents(
      { priorities: ['HIGH'] },
      (i) => i.priority === 'HIGH',
      (n) => n.priority === 'HIGH',
    );
    await expectIncidents(
      { priorities: ['LOW', 'HIGH'] },
      (i) => i.priority === 'LOW' || i.priority === 'HIGH',
      (n) => n.priority !== 'NORMAL',
    );
  });

  test('createdAfter / createdBefore: an inclusive creation-time range', async () => {
    const rows = sorted();
    const from = rows[40]!.creation_time;
    const to = rows[90]!.creation_time;
    await expectIncidents(
      { createdAfter: iso(from), createdBefore: iso(to) },
      (i) => i.creation_time >= from && i.creation_time <= to,
      (n) => Date.parse(n.creationTime) >= from && Date.parse(n.creationTime) <= to,
    );
    await expectIncidents(
      { createdBefore: iso(to) },
      (i) => i.creation_time <= to,
      (n) => Date.parse(n.creationTime) <= to,
    );
  });

  test('updatedAfter / updatedBefore: an inclusive update-time range', async () => {
    const times = sim.routes.incidents.map((i) => i.update_time).sort((a, b) => a - b);
    const from = times[60]!;
    const to = times[150]!;
    await expectIncidents(
      { updatedAfter: iso(from), updatedBefore: iso(to) },
      (i) => i.update_time >= from && i.update_time <= to,
      (n) => Date.parse(n.updateTime) >= from && Date.parse(n.updateTime) <= to,
    );
    await expectIncidents(
      { updatedAfter: iso(to) },
      (i) => i.update_time >= to,
      (n) => Date.parse(n.updateTime) >= to,
    );
  });

  test('searchPhrase: a summary substring, or exactly an incident number', async () => {
    await expectIncidents(
      { searchPhrase: 'powershell' },
      (i) => i.summary.toLowerCase().includes('powershell'),
      (n) => n.summary.toLowerCase().includes('powershell'),
    );
    const target = sorted()[17]!;
    const [only] = await expectIncidents(
      { searchPhrase: String(target.incident_number) },
      (i) => i.incident_id === target.incident_id,
      (n) => n.incidentNumber === target.incident_number,
    );
    expect(only!.incidentId).toBe(target.incident_id);
  });

  test('several filters together must all match', async () => {
    await expectIncidents(
      { priorities: ['HIGH'], mitreTactics: ['Execution', 'Persistence'], statuses: ['CLOSED', 'RESOLVED'] },
      (i) =>
        i.priority === 'HIGH' &&
        (i.mitre_tactics ?? []).some((t) => t === 'Execution' || t === 'Persistence') &&
        (i.status === 'Closed' || i.status === 'Resolved'),
      (n) =>
        n.priority === 'HIGH' &&
        n.mitreTactics.some((t) => t === 'Execution' || t === 'Persistence') &&
        (n.status === 'CLOSED' || n.status === 'RESOLVED'),
    );
    // One incidents/list and one incidents/count per query: the filter travels whole, nothing is filtered here.
    expect(sim.server.stats().calls).toEqual({ 'incidents/list': 1, 'incidents/count': 1 });
  });

  test('assetIds and affectedHostNames: incidents affecting those assets; an unknown host name matches none', async () => {
    const counts = new Map<string, number>();
    for (const i of sim.routes.incidents)
      for (const h of i.affected_hosts ?? []) counts.set(h, (counts.get(h) ?? 0) + 1);
    const [a, b] = [...counts.keys()].slice(0, 2).map((h) => ({ name: h.split(':')[0]!, id: h.split(':')[1]! }));
    const ids = [a!.id, b!.id];
    await expectIncidents(
      { assetIds: ids },
      (i) => (i.affected_hosts ?? []).some((h) => ids.includes(h.split(':')[1]!)),
      () => true,
    );
    // Host names are matched case-insensitively, as MDR's assets/list does.
    await expectIncidents(
      { affectedHostNames: [a!.name.toLowerCase()] },
      (i) => (i.affected_hosts ?? []).some((h) => h.startsWith(`${a!.name}:`)),
      () => true,
    );
    const none = await gw.gql(INCIDENTS, { f: { affectedHostNames: ['NO-SUCH-HOST'] } });
    expect(none.incidents).toEqual({ totalCount: 0, nodes: [] });
  });

  test("Asset.incidents with a filter: each asset's incidents that match it, for a page of assets", async () => {
    const { assets } = await gw.gql(`{ assets(first: 15) { nodes { assetId
      incidents(first: 100, filter: { priorities: [HIGH], resolutions: [TRUE_POSITIVE, FALSE_POSITIVE] }) { totalCount nodes { incidentId priority resolution } }
    } } }`);
    const per = assets.nodes.map((n: { assetId: string; incidents: { totalCount: number; nodes: IncidentNode[] } }) => {
      const want = sim.routes.incidents.filter(
        (i) =>
          i.priority === 'HIGH' &&
          i.resolution !== '' &&
          (i.affected_hosts ?? []).some((h) => h.endsWith(`:${n.assetId}`)),
      );
      expect(n.incidents.nodes.filter((i) => i.priority !== 'HIGH' || i.resolution === null)).toEqual([]);
      return {
        assetId: n.assetId,
        totalCount: n.incidents.totalCount,
        ids: n.incidents.nodes.map((i) => i.incidentId).sort(),
        want: want.map((i) => i.incident_id).sort(),
      };
    });
    expect(per.some((p: { want: string[] }) => p.want.length > 0)).toBe(true);
    for (const p of per)
      expect({ totalCount: p.totalCount, ids: p.ids }).toEqual({ totalCount: p.want.length, ids: p.want });
    // The first pages of every asset share one incidents/list.
    expect(sim.server.callCount('incidents/list')).toBe(1);
  });

  type AssetNode = {
    assetId: string;
    hostName: string;
    domain: string | null;
    osVersion: string | null;
    isIsolated: boolean;
    installedProductInfo: string | null;
    networkInterfaces: { ipAddresses: string[]; macAddress: string | null }[];
    firstSeen: string;
    lastSeen: string;
  };

  async function expectAssets(
    filter: Record<string, unknown>,
    expected: (a: wire.Asset) => boolean,
    satisfies: (n: AssetNode) => boolean,
  ) {
    const all = sim.routes.assets;
    const want = all
      .filter(expected)
      .sort((a, b) => (a.first_seen ?? 0) - (b.first_seen ?? 0) || cmp(a.asset_id, b.asset_id));
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(all.length);
    const { assets } = await gw.gql(ASSETS, { f: filter });
    expect(assets.nodes.length).toBeGreaterThan(0);
    expect(assets.nodes.filter((n: AssetNode) => !satisfies(n))).toEqual([]);
    expect(assets.totalCount).toBe(want.length);
    expect(assets.nodes.map((n: AssetNode) => n.assetId)).toEqual(want.map((a) => a.asset_id));
  }

  test('asset domain: exactly that domain', async () => {
    await expectAssets(
      { domain: 'northwind.local' },
      (a) => a.domain === 'northwind.local',
      (n) => n.domain === 'northwind.local',
    );
  });

  test('asset isIsolated: true and false split the assets', async () => {
    await expectAssets(
      { isIsolated: true },
      (a) => a.isolation === true,
      (n) => n.isIsolated,
    );
    await expectAssets(
      { isIsolated: false },
      (a) => a.isolation !== true,
      (n) => !n.isIsolated,
    );
  });

  test('asset osVersion and product: case-insensitive substrings', async () => {
    await expectAssets(
      { osVersion: 'windows 11' },
      (a) => (a.os_version ?? '').toLowerCase().includes('windows 11'),
      (n) => (n.osVersion ?? '').toLowerCase().includes('windows 11'),
    );
    await expectAssets(
      { product: 'for Linux' },
      (a) => (a.installed_product_info ?? '').includes('for Linux'),
      (n) => (n.installedProductInfo ?? '').includes('for Linux'),
    );
  });

  test('asset networkInterface: any address of an interface (also the second of "a|b"), or its MAC', async () => {
    const twoIps = sim.routes.assets.find((a) => (a.network_interfaces?.[0]?.ip ?? '').includes('|'))!;
    const second = twoIps.network_interfaces![0]!.ip!.split('|')[1]!;
    await expectAssets(
      { networkInterface: second },
      (a) => (a.network_interfaces ?? []).some((i) => (i.ip ?? '').split('|').includes(second)),
      (n) => n.networkInterfaces.some((i) => i.ipAddresses.includes(second)),
    );
    const mac = sim.routes.assets[5]!.network_interfaces![0]!.mac!;
    await expectAssets(
      { networkInterface: mac },
      (a) => (a.network_interfaces ?? []).some((i) => i.mac === mac),
      (n) => n.networkInterfaces.some((i) => i.macAddress === mac),
    );
  });

  test('asset firstSeen and lastSeen ranges: inclusive bounds', async () => {
    const first = sim.routes.assets.map((a) => a.first_seen!).sort((a, b) => a - b);
    const [from, to] = [first[10]!, first[30]!];
    await expectAssets(
      { firstSeenAfter: iso(from), firstSeenBefore: iso(to) },
      (a) => a.first_seen! >= from && a.first_seen! <= to,
      (n) => Date.parse(n.firstSeen) >= from && Date.parse(n.firstSeen) <= to,
    );
    const last = sim.routes.assets.map((a) => a.last_seen!).sort((a, b) => a - b);
    const [after, before] = [last[5]!, last[25]!];
    await expectAssets(
      { lastSeenAfter: iso(after) },
      (a) => a.last_seen! >= after,
      (n) => Date.parse(n.lastSeen) >= after,
    );
    await expectAssets(
      { lastSeenBefore: iso(before) },
      (a) => a.last_seen! <= before,
      (n) => Date.parse(n.lastSeen) <= before,
    );
  });

  test('asset searchPhrase: a substring of the host name or domain; hostNames: exact names', async () => {
    await expectAssets(
      { searchPhrase: 'ws-it' },
      (a) => a.host_name.toLowerCase().includes('ws-it') || (a.domain ?? '').toLowerCase().includes('ws-it'),
      (n) => n.hostName.toLowerCase().includes('ws-it'),
    );
    const names = sim.routes.assets.slice(3, 6).map((a) => a.host_name);
    await expectAssets(
      { hostNames: names },
      (a) => names.includes(a.host_name),
      (n) => names.includes(n.hostName),
    );
  });
});
