import { startTestEstate } from '../helpers/gateway';
import type { TestEstate } from '../helpers/gateway';

const TRIAGE = `{
  incidents(filter: { statuses: [OPEN] }, first: 20) {
    nodes { incidentId affectedAssets { hostName host { name } sensor { sensorId } } }
  }
}`;

/**
 * The order of one level's calls on the wire. Calls of a level go out together, but their answers
 * are read one after another: the one that leads to another call should not queue behind a large
 * answer that leads nowhere.
 */
describe('join calls go out in the order their answers are needed', () => {
  let estate: TestEstate;

  beforeAll(async () => {
    estate = await startTestEstate();
  });
  afterAll(async () => {
    await estate?.stop();
  });

  /** FindHosts and GET sensors in the order the simulators received them, for one query. */
  async function hostAndSensorCallOrder(query: string, variables?: Record<string, unknown>) {
    const { gw, sims } = estate;
    await gw.gql(query, variables); // sessions and connections open
    const arrivals: string[] = [];
    sims.ksc.server.beforeAnswer = (endpoint) => void arrivals.push(`ksc ${endpoint}`);
    sims.kata.server.beforeAnswer = (endpoint) => void arrivals.push(`kata ${endpoint}`);
    try {
      const data = await gw.gql(query, variables);
      return { data, order: arrivals.filter((a) => a === 'ksc HostGroup.FindHosts' || a === 'kata GET sensors') };
    } finally {
      sims.ksc.server.beforeAnswer = undefined;
      sims.kata.server.beforeAnswer = undefined;
    }
  }

  test("an incidents page asks KSC for its hosts before KATA for the sensor list (FindHosts' answer leads to the chunk call)", async () => {
    const { data, order } = await hostAndSensorCallOrder(TRIAGE);
    const assets = data.incidents.nodes.flatMap((i: { affectedAssets: unknown[] }) => i.affectedAssets);
    expect(assets.some((a: { host: unknown }) => a.host)).toBe(true);
    expect(assets.some((a: { sensor: unknown }) => a.sensor)).toBe(true);
    expect(order).toEqual(['ksc HostGroup.FindHosts', 'kata GET sensors']);
  });

  test('so does one incident with its affected assets', async () => {
    const { incidents } = await estate.gw.gql(TRIAGE);
    const incidentId = incidents.nodes.find(
      (i: { affectedAssets: unknown[] }) => i.affectedAssets.length > 0,
    ).incidentId;
    const { data, order } = await hostAndSensorCallOrder(
      'query ($id: String!) { incident(incidentId: $id) { affectedAssets { hostName host { name } sensor { sensorId } } } }',
      { id: incidentId },
    );
    expect(data.incident.affectedAssets.length).toBeGreaterThan(0);
    expect(order).toEqual(['ksc HostGroup.FindHosts', 'kata GET sensors']);
  });
});
