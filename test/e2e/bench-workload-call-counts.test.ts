import { loadConfig } from '../../src/config/load';
import { configForSimulators, startSimulators } from '../../src/simulators/start-simulators';
import type { EstateSimulators } from '../../src/simulators/start-simulators';
import { PICK_INCIDENT_QUERY, WORKLOADS, pickIncident } from '../../bench/lib/workloads';
import type { CallCounts, Workload } from '../../bench/lib/workloads';
import { startTestGateway, tempStateDir } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

// The benchmark workloads (bench/queries) must cost exactly the fewest upstream calls the vendor
// APIs allow (derived in bench/lib/workloads.ts). Times are measured by `npm run bench`, never here.

let sims: EstateSimulators;
let gw: TestGateway;
let incidentId: string;

beforeAll(async () => {
  const stateDir = tempStateDir();
  sims = await startSimulators(loadConfig({}).simulators, stateDir);
  const upstreams = configForSimulators(loadConfig({ STATE_DIR: stateDir }), sims.info);
  gw = await startTestGateway({ mdr: upstreams.mdr, ksc: upstreams.ksc, kata: upstreams.kata, stateDir });
  incidentId = pickIncident(await gw.gql(PICK_INCIDENT_QUERY));
}, 60_000);

afterAll(async () => {
  await gw?.stop();
  await sims?.close();
});

function calls(): CallCounts {
  const only = (s: { server: { stats(): { calls: Record<string, number> } } }) =>
    Object.fromEntries(
      Object.entries(s.server.stats().calls).filter(
        ([endpoint]) => !endpoint.startsWith('Session.') && endpoint !== 'session/confirm',
      ),
    );
  return { mdr: only(sims.mdr), ksc: only(sims.ksc), kata: only(sims.kata) };
}

async function run(workload: Workload) {
  const variables = workload.name === 'incidentDetail' ? { incidentId } : {};
  const { status, body } = await gw.gqlRaw(workload.query, variables);
  for (const s of [sims.mdr, sims.ksc, sims.kata]) s.server.resetStats();
  const again = await gw.gqlRaw(workload.query, variables);
  return { status, body, again, counts: calls() };
}

test.each(WORKLOADS.map((w) => [w.name, w] as const))(
  'the %s workload costs the minimum upstream calls',
  async (_name, workload) => {
    const { again, counts } = await run(workload);
    console.log(workload.name, JSON.stringify(counts), JSON.stringify(again.body.errors ?? null).slice(0, 500));
    expect(again.body.errors).toBeUndefined();
    expect(counts).toEqual(workload.minimum);
  },
);

test('with GATEWAY_LOADERS=naive (the bench baseline) the triage costs many more calls, and the same answer', async () => {
  const triage = WORKLOADS.find((w) => w.name === 'triage')!;
  const batched = await gw.gql(triage.query);
  const upstreams = configForSimulators(loadConfig({}), sims.info);
  const refreshToken = await sims.mdr.issueRefreshToken('Gateway administrator');
  const naive = await startTestGateway({
    mdr: { ...upstreams.mdr!, refreshToken },
    ksc: upstreams.ksc,
    kata: upstreams.kata,
    env: { GATEWAY_LOADERS: 'naive' },
  });
  try {
    await naive.gql(triage.query);
    for (const s of [sims.mdr, sims.ksc, sims.kata]) s.server.resetStats();
    expect(await naive.gql(triage.query)).toEqual(batched);
    await naive.upstreams.ksc?.settled();
    const counts = calls();
    expect(counts.mdr['assets/list']).toBeGreaterThan(10);
    expect(counts.ksc['HostGroup.FindHosts']).toBeGreaterThan(10);
  } finally {
    await naive.stop();
  }
});
