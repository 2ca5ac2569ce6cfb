import { startKscSimulator } from '../../src/upstreams/ksc/simulator';
import type { KscSimulator } from '../../src/upstreams/ksc/simulator';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { TEST_EPOCH_MS } from '../helpers/epoch';
import { kscSettings } from '../helpers/ksc';

const HOSTS = '{ hosts(first: 3) { totalCount nodes { name } } }';

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('KSC sessions and result-set lifetimes', () => {
  let sim: KscSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    sim = await startKscSimulator({ scale: 0.05, sessionIdleMs: 60_000, epochMs: TEST_EPOCH_MS });
    gw = await startTestGateway({ ksc: kscSettings(sim) });
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });
  beforeEach(() => {
    sim.server.resetStats();
    sim.routes.onCall = undefined;
    sim.server.latencyMs = 0;
  });

  test('one session serves many requests', async () => {
    await Promise.all([gw.gql(HOSTS), gw.gql(HOSTS), gw.gql('{ hostGroups { totalCount } }')]);
    await gw.gql(HOSTS);
    expect(sim.server.callCount('Session.StartSession')).toBeLessThanOrEqual(1);
    expect(sim.server.stats().open.sessions).toBe(1);
  });

  test('a session that expired while idle is renewed once, invisibly', async () => {
    await gw.gql(HOSTS);
    sim.server.resetStats();
    sim.advance(61_000);
    const [a, b] = await Promise.all([gw.gql(HOSTS), gw.gql(HOSTS)]);
    expect(a).toEqual(b);
    expect(sim.server.callCount('Session.StartSession')).toBe(1);
  });

  test('a session lost in the middle of a result-set walk: the walk restarts, no error reaches the client', async () => {
    let expired = false;
    sim.routes.onCall = (endpoint) => {
      if (!expired && (endpoint === 'ChunkAccessor.GetItemsChunk' || endpoint === 'EventProcessing.GetRecordRange')) {
        expired = true;
        sim.expireSessions();
      }
    };
    const { hosts } = await gw.gql(HOSTS);
    expect(hosts.nodes).toHaveLength(3);
    expect(sim.server.callCount('HostGroup.FindHosts')).toBe(2);
    expect(sim.server.callCount('Session.StartSession')).toBe(1);

    expired = false;
    const { events } = await gw.gql(
      '{ events(filter: { since: "2026-10-30T00:00:00Z" }, first: 2) { totalCount nodes { eventId } } }',
    );
    expect(events.nodes).toHaveLength(2);
    expect(sim.server.callCount('EventProcessingFactory.CreateEventProcessing2')).toBe(2);
    expect(sim.server.stats().open).toMatchObject({ accessors: 0, iterators: 0 });
  });

  test('a query that fails mid-walk still releases its accessor', async () => {
    sim.routes.onCall = (endpoint) =>
      endpoint === 'ChunkAccessor.GetItemsChunk'
        ? {
            status: 200,
            json: {
              PxgError: {
                code: 1,
                subcode: 0,
                module: 'KLSTD',
                file: 'x.cpp',
                line: 1,
                message: 'Internal failure at 0xdeadbeef',
              },
            },
          }
        : undefined;
    const res = await gw.gqlRaw(HOSTS);
    expect(res.body.errors?.[0]).toMatchObject({
      message: 'KSC rejected ChunkAccessor.GetItemsChunk (error 1).',
      extensions: { code: 'UPSTREAM_REJECTED' },
    });
    expect(sim.server.callCount('ChunkAccessor.Release')).toBe(1);
    expect(sim.server.stats().open).toMatchObject({ accessors: 0, iterators: 0 });
  });

  test('a query cancelled by its deadline mid-walk still releases its result set', async () => {
    const slow = await startTestGateway({ ksc: kscSettings(sim), env: { GRAPHQL_REQUEST_TIMEOUT_MS: '300' } });
    try {
      await slow.gql('{ upstreams { reachable } }');
      sim.server.resetStats();
      // The iterator is made at once; the walk's next call is held past the deadline (a latency on
      // every call would race the deadline against the iterator's creation on a busy machine).
      sim.server.beforeAnswer = (endpoint) =>
        endpoint === 'EventProcessing.GetRecordCount' ? new Promise((r) => setTimeout(r, 600)) : undefined;
      const res = await slow.gqlRaw('{ events(filter: { since: "2026-10-01T00:00:00Z" }, first: 5) { totalCount } }');
      expect(res.body.errors?.[0]?.extensions?.code).toBe('DEADLINE_EXCEEDED');
      expect(sim.server.callCount('EventProcessingFactory.CreateEventProcessing2')).toBe(1);
      await until(
        () => sim.server.callCount('EventProcessing.ReleaseIterator') === 1 && sim.server.stats().open.iterators === 0,
        'the iterator release',
      );
    } finally {
      sim.server.beforeAnswer = undefined;
      await slow.stop();
    }
  });

  test('stopping the gateway ends its session', async () => {
    const other = await startTestGateway({ ksc: kscSettings(sim) });
    await other.gql(HOSTS);
    const before = sim.server.stats().open.sessions;
    await other.stop();
    expect(sim.server.callCount('Session.EndSession')).toBe(1);
    expect(sim.server.stats().open.sessions).toBe(before - 1);
  });
});
