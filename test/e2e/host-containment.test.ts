import { startTestEstate } from '../helpers/gateway';
import type { TestEstate } from '../helpers/gateway';

const CONTAINMENT = `containment {
  isolated agentOnline lastSeen
  sources { upstream isolated vendorState task { taskId typeName state } autoReleaseAfterSeconds }
}`;

interface Source {
  upstream: string;
  isolated: boolean;
  vendorState: string;
  task: { taskId: string; typeName: string; state: string } | null;
  autoReleaseAfterSeconds: number | null;
}

/** Is it isolated, and by what? Host and Asset answer the same, from KSC tasks, KATA rules and MDR. */
describe('Host.containment and Asset.containment across MDR, KSC and KATA', () => {
  let estate: TestEstate;
  let host: { hostId: string; name: string; sensor: { sensorId: string }; asset: { assetId: string } };

  beforeAll(async () => {
    estate = await startTestEstate();
    const { hosts } = await estate.gw.gql(
      `{ hosts(first: 100) { nodes { hostId name online sensor { sensorId } asset { assetId isIsolated } } } }`,
    );
    host = hosts.nodes.find((h: any) => h.online && h.sensor && h.asset && !h.asset.isIsolated);
    expect(host).toBeDefined();
  }, 60_000);
  afterAll(() => estate?.stop());

  const read = async () => {
    const data = await estate.gw.gql(
      `query ($h: String!, $a: String!) { host(hostId: $h) { ${CONTAINMENT} } asset(assetId: $a) { ${CONTAINMENT} } }`,
      { h: host.hostId, a: host.asset.assetId },
    );
    // Host and Asset are one machine: they answer the same containment.
    expect(data.asset.containment).toEqual(data.host.containment);
    return data.host.containment as { isolated: boolean; agentOnline: boolean; sources: Source[] };
  };
  const source = (c: { sources: Source[] }, upstream: string) => c.sources.find((s) => s.upstream === upstream)!;

  test('a page of hosts with containment costs one FindHosts, one GET sensors and one assets/list', async () => {
    for (const sim of [estate.sims.mdr, estate.sims.ksc, estate.sims.kata]) sim.server.resetStats();
    const { hosts } = await estate.gw.gql(`{ hosts(first: 20) { nodes { name ${CONTAINMENT} } } }`);
    expect(hosts.nodes).toHaveLength(20);
    for (const h of hosts.nodes) expect(h.containment.sources.map((s: Source) => s.upstream)).toContain('KSC');
    expect(estate.sims.ksc.server.callCount('HostGroup.FindHosts')).toBe(1);
    expect(estate.sims.kata.server.callCount('GET sensors')).toBe(1);
    expect(estate.sims.mdr.server.callCount('assets/list')).toBe(1);
  });

  test('KSC isolation shows once its task completes, with the task; release clears it', async () => {
    const before = await read();
    expect(before).toMatchObject({ isolated: false, agentOnline: true });
    expect(source(before, 'MDR')).toMatchObject({ isolated: false });

    const { isolateHosts } = await estate.gw.gql(
      'mutation ($i: IsolateHostsInput!) { isolateHosts(input: $i) { task { taskId } } }',
      { i: { hostIds: [host.hostId] } },
    );
    // Under way, the task does not count yet.
    expect(source(await read(), 'KSC').isolated).toBe(false);
    estate.sims.ksc.advance(61_000);
    const isolated = await read();
    expect(isolated.isolated).toBe(true);
    expect(source(isolated, 'KSC')).toMatchObject({
      isolated: true,
      task: { taskId: isolateHosts.task.taskId, typeName: 'KLEDR_NetworkIsolation', state: 'COMPLETED' },
    });

    const { unisolateHosts } = await estate.gw.gql(
      'mutation ($i: UnisolateHostsInput!) { unisolateHosts(input: $i) { task { taskId } } }',
      { i: { hostIds: [host.hostId] } },
    );
    estate.sims.ksc.advance(61_000);
    const released = await read();
    expect(released.isolated).toBe(false);
    expect(source(released, 'KSC')).toMatchObject({
      isolated: false,
      task: { taskId: unisolateHosts.task.taskId, typeName: 'KLEDR_NetworkIsolationOff' },
    });
  });

  test('KATA isolation shows with its auto-release time; release clears it', async () => {
    expect(source(await read(), 'KATA')).toMatchObject({ isolated: false, autoReleaseAfterSeconds: null });
    await estate.gw.gql('mutation ($i: IsolateSensorInput!) { isolateSensor(input: $i) { sensorId } }', {
      i: { sensorId: host.sensor.sensorId, timeoutHours: 2 },
    });
    const isolated = await read();
    expect(isolated.isolated).toBe(true);
    expect(source(isolated, 'KATA')).toMatchObject({ isolated: true, autoReleaseAfterSeconds: 7200 });
    await estate.gw.gql(
      'mutation ($i: ReleaseSensorIsolationInput!) { releaseSensorIsolation(input: $i) { sensorId } }',
      { i: { sensorId: host.sensor.sensorId } },
    );
    const released = await read();
    expect(released.isolated).toBe(false);
    expect(source(released, 'KATA')).toMatchObject({ isolated: false, vendorState: 'No isolation rule' });
  });
});
