import { loadConfig } from '../../src/config/load';
import { configForSimulators, startSimulators } from '../../src/simulators/start-simulators';
import type { EstateSimulators } from '../../src/simulators/start-simulators';
import { buildEstate } from '../../src/upstreams/sim/estate';
import { startTestGateway, tempStateDir } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

const HOUR = 3_600_000;

/** The simulators on the default clock (no SIM_EPOCH): what a person starting the demo sees. */
describe('the three simulators share one clock, the start instant by default', () => {
  let sims: EstateSimulators;
  let gw: TestGateway;
  const started = Date.now();

  beforeAll(async () => {
    const stateDir = tempStateDir();
    const base = loadConfig({ STATE_DIR: stateDir, SIM_SCALE: '0.1' });
    sims = await startSimulators(base.simulators, stateDir);
    const { mdr, ksc, kata } = configForSimulators(base, sims.info);
    gw = await startTestGateway({ mdr, ksc, kata, stateDir });
  });
  afterAll(async () => {
    await gw.stop();
    await sims.close();
  });

  test('KSC has events of the last 24 hours and MDR incidents created in the last 7 days', async () => {
    const since = new Date(Date.now() - 24 * HOUR).toISOString();
    const week = new Date(Date.now() - 7 * 24 * HOUR).toISOString();
    const data = await gw.gql(
      `query ($since: DateTime!, $week: DateTime) {
        events(filter: { since: $since }, first: 1) { totalCount nodes { riseTime } }
        incidents(filter: { createdAfter: $week }, first: 1) { totalCount }
      }`,
      { since, week },
    );
    expect(data.events.totalCount).toBeGreaterThan(0);
    expect(Date.parse(data.events.nodes[0].riseTime)).toBeLessThanOrEqual(Date.now());
    expect(data.incidents.totalCount).toBeGreaterThan(0);
  });

  test('one host has one last-seen time in KSC, MDR and KATA', async () => {
    const { hosts } = await gw.gql(
      '{ hosts(first: 100) { nodes { name lastVisible asset { lastSeen } sensor { lastAccessTime } } } }',
    );
    const joined = hosts.nodes.filter((h: any) => h.asset && h.sensor);
    expect(joined.length).toBeGreaterThan(0);
    for (const h of joined) {
      expect(h.asset.lastSeen).toBe(h.lastVisible);
      // KATA counts whole seconds.
      expect(Math.floor(Date.parse(h.lastVisible) / 1000) * 1000).toBe(Date.parse(h.sensor.lastAccessTime));
    }
    // Recent, and never after the start: online machines were seen minutes ago.
    const newest = Math.max(...hosts.nodes.map((h: any) => Date.parse(h.lastVisible)));
    expect(newest).toBeGreaterThan(started - HOUR);
    expect(newest).toBeLessThanOrEqual(Date.now());
  });

  test('MDR stamps writes on the estate clock KSC runs on: the start instant, moving on', async () => {
    const routes = sims.mdr.routes;
    expect(routes.epochMs).toBe(sims.ksc.data.epochMs);
    expect(routes.epochMs).toBeGreaterThanOrEqual(started);
    expect(Math.abs(routes.dataNow() - sims.ksc.routes.now())).toBeLessThan(50);
  });
});

describe('SIM_EPOCH', () => {
  test('pins the estate: another epoch moves every time by the difference and nothing else', () => {
    const epoch = loadConfig({ SIM_EPOCH: '2026-11-01T00:00:00Z' }).simulators.epochMs!;
    expect(epoch).toBe(Date.UTC(2026, 10, 1));
    expect(loadConfig({ SIM_EPOCH: String(epoch) }).simulators.epochMs).toBe(epoch);
    const a = buildEstate(5, 0.05, epoch);
    const later = buildEstate(5, 0.05, epoch + 10 * 24 * HOUR);
    expect(later.machines.map((m) => m.hostName)).toEqual(a.machines.map((m) => m.hostName));
    expect(later.machines[3]!.lastSeen - a.machines[3]!.lastSeen).toBe(10 * 24 * HOUR);
    expect(Math.max(...a.machines.map((m) => m.lastSeen))).toBeLessThanOrEqual(epoch);
  });
});
