import { startKataSimulator } from '../../src/upstreams/kata/simulator';
import type { KataSimulator } from '../../src/upstreams/kata/simulator';
import { startKscSimulator } from '../../src/upstreams/ksc/simulator';
import type { KscSimulator } from '../../src/upstreams/ksc/simulator';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { kscSettings } from '../helpers/ksc';
import { kataSettings } from '../helpers/kata';

/** KSC hosts joined to the other sources by host name, batched. */
describe('KSC cross-source joins', () => {
  let ksc: KscSimulator;
  let kata: KataSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    [ksc, kata] = await Promise.all([
      startKscSimulator({ scale: 0.1, seed: 3 }),
      startKataSimulator({ scale: 0.1, seed: 3 }),
    ]);
    gw = await startTestGateway({
      ksc: kscSettings(ksc),
      kata: kataSettings(kata),
    });
    expect((await fetch(`${gw.origin}/readyz`)).status).toBe(200);
  });
  afterAll(async () => {
    await gw?.stop();
    await Promise.all([ksc?.close(), kata?.close()]);
  });
  beforeEach(() => {
    ksc.server.resetStats();
    kata.server.resetStats();
  });

  test('Host.sensor: a page of 50 hosts costs one KATA sensors call', async () => {
    const { hosts } = await gw.gql('{ hosts(first: 50) { nodes { name sensor { sensorId hostName } } } }');
    expect(hosts.nodes).toHaveLength(50);
    const withSensor = hosts.nodes.filter((h: { sensor: unknown }) => h.sensor);
    expect(withSensor.length).toBeGreaterThan(5);
    for (const h of withSensor) expect(h.sensor.hostName.toLowerCase()).toBe(h.name.toLowerCase());
    expect(kata.server.totalCalls()).toBe(1);
    expect(ksc.server.callCount('HostGroup.FindHosts')).toBe(1);
  });

  test('Sensor.host: every sensor of the list finds its KSC host in one FindHosts', async () => {
    const { sensors } = await gw.gql('{ sensors { hostName host { name hostId } } }');
    const joined = sensors.filter((s: { host: unknown }) => s.host);
    expect(joined.length).toBe(sensors.length);
    for (const s of joined) expect(s.host.name.toLowerCase()).toBe(s.hostName.toLowerCase());
    expect(ksc.server.callCount('HostGroup.FindHosts')).toBe(Math.ceil(sensors.length / 100));
  });
});
