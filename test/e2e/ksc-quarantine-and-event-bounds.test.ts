import { startKscSimulator } from '../../src/upstreams/ksc/simulator';
import type { KscSimulator } from '../../src/upstreams/ksc/simulator';
import { TEST_EPOCH_MS } from '../helpers/epoch';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { kscSettings } from '../helpers/ksc';

type EventNode = { eventId: string; hostName: string; riseTime: string; host: { hostId: string } | null };
const EVENTS = `query ($f: EventFilter) { events(filter: $f, first: 100) {
  totalCount nodes { eventId hostName riseTime host { hostId } }
} }`;
const DAY = 86_400_000;

/** SOAR commands: List Quarantine Files (on a host), Fetch Event (End Time, host names). */
describe('KSC Host.quarantinedFiles and the bounds of Fetch Event, against the simulator data', () => {
  let sim: KscSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    sim = await startKscSimulator({ scale: 0.1, epochMs: TEST_EPOCH_MS });
    gw = await startTestGateway({ ksc: kscSettings(sim) });
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });
  beforeEach(() => sim.server.resetStats());
  afterEach(() => expect(sim.server.stats().open).toMatchObject({ accessors: 0, iterators: 0 }));

  const riseMs = (e: Record<string, unknown>) => (e.rise_time as Date).getTime();
  const idOf = (e: Record<string, unknown>) => String((e.event_id as { value: number }).value);
  /** The simulator's events in the gateway's order (newest first), as ids. */
  const expectedIds = (keep: (e: Record<string, unknown>) => boolean) =>
    sim.data.events
      .filter(keep)
      .sort((a, b) => riseMs(b) - riseMs(a))
      .map(idOf);

  async function expectEvents(filter: Record<string, unknown>, keep: (e: Record<string, unknown>) => boolean) {
    const want = expectedIds(keep);
    expect(want.length).toBeGreaterThan(0);
    const { events } = await gw.gql(EVENTS, { f: filter });
    expect(events.nodes.length).toBeGreaterThan(0);
    expect(events.totalCount).toBe(want.length);
    expect(events.nodes.map((n: EventNode) => n.eventId)).toEqual(want.slice(0, 100));
    return events.nodes as EventNode[];
  }

  const quarantineHost = () => {
    const counts = new Map<string, number>();
    for (const q of sim.data.quarantine) counts.set(q.hostId, (counts.get(q.hostId) ?? 0) + 1);
    const [hostId] = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
    expect(counts.get(hostId)).toBeGreaterThanOrEqual(2);
    return sim.data.hostById(hostId)!;
  };

  test("Host.quarantinedFiles: exactly the host's quarantine entries, in id order, each pointing back at the host", async () => {
    const h = quarantineHost();
    const want = sim.data.quarantine.filter((q) => q.hostId === h.id).sort((a, b) => a.nId - b.nId);
    const { host } = await gw.gql(
      'query ($id: String!) { host(hostId: $id) { quarantinedFiles(first: 50) { totalCount nodes { fileId objectName description host { hostId } } } } }',
      { id: h.id },
    );
    expect(host.quarantinedFiles).toEqual({
      totalCount: want.length,
      nodes: want.map((q) => ({
        fileId: q.nId,
        objectName: q.row.ObjName,
        description: q.row.szDescription,
        host: { hostId: h.id },
      })),
    });
  });

  test('an empty list filter allows nothing: hosts, events and quarantine answer empty and KSC is not asked', async () => {
    const since = '2000-01-01T00:00:00Z';
    const data = await gw.gql(`{
      hosts(filter: { names: [] }) { totalCount nodes { hostId } }
      noHosts: events(filter: { since: "${since}", hostNames: [] }) { totalCount nodes { eventId } }
      noSeverity: events(filter: { since: "${since}", severities: [] }) { totalCount nodes { eventId } }
      noTypes: events(filter: { since: "${since}", eventTypes: [] }) { totalCount nodes { eventId } }
      quarantinedFiles(paths: []) { totalCount nodes { id } }
    }`);
    for (const connection of Object.values(data)) expect(connection).toEqual({ totalCount: 0, nodes: [] });
    expect(sim.server.totalCalls()).toBe(0);
    // The same queries without the empty lists do find something.
    const some = await gw.gql(
      `{ hosts(first: 1) { totalCount } events(filter: { since: "${since}" }, first: 1) { totalCount } }`,
    );
    expect(some.hosts.totalCount).toBeGreaterThan(0);
    expect(some.events.totalCount).toBeGreaterThan(0);
  });

  test('Host.quarantinedFiles: paths patterns, paging with after, and a host with none', async () => {
    const h = quarantineHost();
    const mine = sim.data.quarantine.filter((q) => q.hostId === h.id).sort((a, b) => a.nId - b.nId);
    const name = String(mine[0]!.row.ObjName);
    const ext = `*${name.slice(name.lastIndexOf('.'))}`;
    const byPath = await gw.gql(
      'query ($id: String!, $p: [String!]) { host(hostId: $id) { quarantinedFiles(paths: $p) { totalCount nodes { fileId objectName } } } }',
      { id: h.id, p: [ext] },
    );
    const want = mine.filter((q) => String(q.row.ObjName).toLowerCase().endsWith(ext.slice(1).toLowerCase()));
    expect(byPath.host.quarantinedFiles.nodes.length).toBeGreaterThan(0);
    expect(byPath.host.quarantinedFiles).toEqual({
      totalCount: want.length,
      nodes: want.map((q) => ({ fileId: q.nId, objectName: q.row.ObjName })),
    });

    const page =
      'query ($id: String!, $after: String) { host(hostId: $id) { quarantinedFiles(first: 1, after: $after) { pageInfo { hasNextPage endCursor } nodes { fileId } } } }';
    const first = await gw.gql(page, { id: h.id });
    const second = await gw.gql(page, { id: h.id, after: first.host.quarantinedFiles.pageInfo.endCursor });
    expect(first.host.quarantinedFiles).toMatchObject({
      pageInfo: { hasNextPage: true },
      nodes: [{ fileId: mine[0]!.nId }],
    });
    expect(second.host.quarantinedFiles.nodes).toEqual([{ fileId: mine[1]!.nId }]);

    const clean = sim.data.hosts.find((x) => !sim.data.quarantine.some((q) => q.hostId === x.id))!;
    const none = await gw.gql(
      'query ($id: String!) { host(hostId: $id) { quarantinedFiles { totalCount nodes { fileId } } } }',
      { id: clean.id },
    );
    expect(none.host.quarantinedFiles).toEqual({ totalCount: 0, nodes: [] });
  });

  test('Host.quarantinedFiles for a page of hosts: each host gets only its own entries', async () => {
    const { hosts } = await gw.gql(
      '{ hosts(first: 100) { nodes { hostId quarantinedFiles(first: 10) { totalCount nodes { host { hostId } } } } } }',
    );
    const withFiles = hosts.nodes.filter(
      (n: { quarantinedFiles: { totalCount: number } }) => n.quarantinedFiles.totalCount > 0,
    );
    expect(withFiles.length).toBeGreaterThan(0);
    for (const n of hosts.nodes) {
      expect(n.quarantinedFiles.totalCount).toBe(sim.data.quarantine.filter((q) => q.hostId === n.hostId).length);
      expect(n.quarantinedFiles.nodes.filter((f: { host: { hostId: string } }) => f.host.hostId !== n.hostId)).toEqual(
        [],
      );
    }
  });

  test('Fetch Event End Time: until bounds the newest event, inclusive at a whole second and at a fraction past it', async () => {
    const since = TEST_EPOCH_MS - 10 * DAY;
    const inRange = sim.data.events.filter((e) => riseMs(e) >= since).sort((a, b) => riseMs(b) - riseMs(a));
    // A bound well inside the range: the newest events are past it.
    const edge = inRange[Math.floor(inRange.length / 3)]!;
    const until = riseMs(edge);
    for (const bound of [until, until + 500]) {
      const nodes = await expectEvents(
        { since: new Date(since).toISOString(), until: new Date(bound).toISOString() },
        (e) => riseMs(e) >= since && riseMs(e) <= bound,
      );
      expect(nodes[0]!.eventId).toBe(idOf(edge));
      expect(nodes.filter((n) => Date.parse(n.riseTime) > bound || Date.parse(n.riseTime) < since)).toEqual([]);
    }
    // Just before the edge event's second: it is out.
    const nodes = await expectEvents(
      { since: new Date(since).toISOString(), until: new Date(until - 1).toISOString() },
      (e) => riseMs(e) >= since && riseMs(e) < until,
    );
    expect(nodes.map((n) => n.eventId)).not.toContain(idOf(edge));
  });

  test('Fetch Event Start Time: since is inclusive, and a fraction past an event excludes it', async () => {
    const edge = sim.data.events[200]!;
    const since = riseMs(edge);
    // Short enough for one page: the edge event is the oldest of it.
    const until = since + 6 * 3_600_000;
    const at = await expectEvents(
      { since: new Date(since).toISOString(), until: new Date(until).toISOString() },
      (e) => riseMs(e) >= since && riseMs(e) <= until,
    );
    expect(at.map((n) => n.eventId)).toContain(idOf(edge));
    const past = await expectEvents(
      { since: new Date(since + 500).toISOString(), until: new Date(until).toISOString() },
      (e) => riseMs(e) >= since + 500 && riseMs(e) <= until,
    );
    expect(past.map((n) => n.eventId)).not.toContain(idOf(edge));
  });

  test('Fetch Event host names: one, two or many names (any letter case) match the host display name', async () => {
    const since = TEST_EPOCH_MS - 30 * DAY;
    const byHost = new Map<string, number>();
    for (const e of sim.data.events) byHost.set(e.hostdn as string, (byHost.get(e.hostdn as string) ?? 0) + 1);
    const names = [...byHost.keys()].sort().slice(0, 4);
    for (const wanted of [names.slice(0, 1), names.slice(0, 2), names]) {
      const asked = wanted.map((n, i) => (i % 2 ? n.toLowerCase() : n));
      const lower = new Set(wanted.map((n) => n.toLowerCase()));
      const nodes = await expectEvents(
        { since: new Date(since).toISOString(), hostNames: asked },
        (e) => riseMs(e) >= since && lower.has(String(e.hostdn).toLowerCase()),
      );
      expect(nodes.filter((n) => !wanted.includes(n.hostName))).toEqual([]);
    }
    const none = await gw.gql(EVENTS, { f: { since: new Date(since).toISOString(), hostNames: ['NO-SUCH-HOST'] } });
    expect(none.events).toEqual({ totalCount: 0, nodes: [] });
  });

  test('Host.events: until and host names apply to the host-scoped event set too', async () => {
    const counts = new Map<string, number>();
    for (const e of sim.data.events) counts.set(e.hostname as string, (counts.get(e.hostname as string) ?? 0) + 1);
    const [hostId] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const h = sim.data.hostById(hostId)!;
    const mine = sim.data.events.filter((e) => e.hostname === hostId).sort((a, b) => riseMs(b) - riseMs(a));
    expect(mine.length).toBeGreaterThanOrEqual(4);
    const until = riseMs(mine[1]!);
    const since = riseMs(mine[mine.length - 2]!);
    const q = `query ($id: String!, $f: EventFilter) { host(hostId: $id) { events(filter: $f, first: 100) {
      totalCount nodes { eventId hostName riseTime }
    } } }`;
    const want = mine.filter((e) => riseMs(e) >= since && riseMs(e) <= until).map(idOf);
    const bounded = await gw.gql(q, {
      id: hostId,
      f: { since: new Date(since).toISOString(), until: new Date(until).toISOString() },
    });
    expect(bounded.host.events.nodes.length).toBeGreaterThan(0);
    expect(bounded.host.events).toEqual({
      totalCount: want.length,
      nodes: want.map((id) => ({ eventId: id, hostName: h.name, riseTime: expect.any(String) })),
    });
    const all = { since: new Date(0).toISOString() };
    const named = await gw.gql(q, { id: hostId, f: { ...all, hostNames: [h.name.toLowerCase()] } });
    expect(named.host.events.totalCount).toBe(mine.length);
    const other = sim.data.hosts.find((x) => x.id !== hostId)!;
    const elsewhere = await gw.gql(q, { id: hostId, f: { ...all, hostNames: [other.name] } });
    expect(elsewhere.host.events).toEqual({ totalCount: 0, nodes: [] });
  });
});
