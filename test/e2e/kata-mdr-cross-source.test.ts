import { startKataSimulator } from '../../src/upstreams/kata/simulator';
import type { KataSimulator } from '../../src/upstreams/kata/simulator';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { kataSettings } from '../helpers/kata';

/** KATA sensors joined to MDR assets by host name, batched both ways. */
describe('KATA and MDR cross-source joins', () => {
  let mdr: MdrSimulator;
  let kata: KataSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    [mdr, kata] = await Promise.all([
      startSmallMdr({ scale: 0.1, seed: 5 }),
      startKataSimulator({ scale: 0.1, seed: 5 }),
    ]);
    gw = await startTestGateway({
      mdr: mdrSettings(mdr),
      kata: kataSettings(kata),
    });
    expect((await fetch(`${gw.origin}/readyz`)).status).toBe(200);
  });
  afterAll(async () => {
    await gw?.stop();
    await Promise.all([mdr?.close(), kata?.close()]);
  });
  beforeEach(() => {
    mdr.server.resetStats();
    kata.server.resetStats();
  });

  test('Asset.sensor: a page of 50 assets costs one KATA sensors call', async () => {
    const { assets } = await gw.gql('{ assets(first: 50) { nodes { hostName sensor { sensorId hostName } } } }');
    expect(assets.nodes).toHaveLength(50);
    const withSensor = assets.nodes.filter((a: { sensor: unknown }) => a.sensor);
    expect(withSensor.length).toBeGreaterThan(5);
    for (const a of withSensor) expect(a.sensor.hostName.toLowerCase()).toBe(a.hostName.toLowerCase());
    expect(kata.server.totalCalls()).toBe(1);
    expect(kata.server.callCount('GET sensors')).toBe(1);
  });

  test('Sensor.asset: the sensor list finds its MDR assets in batched assets/list calls, not one per sensor', async () => {
    const { sensors } = await gw.gql('{ sensors { hostName asset { hostName } } }');
    const joined = sensors.filter((s: { asset: unknown }) => s.asset);
    expect(joined.length).toBeGreaterThan(sensors.length / 2);
    for (const s of joined) expect(s.asset.hostName.toLowerCase()).toBe(s.hostName.toLowerCase());
    expect(kata.server.totalCalls()).toBe(1);
    expect(mdr.server.callCount('assets/list')).toBeGreaterThanOrEqual(1);
    expect(mdr.server.callCount('assets/list')).toBeLessThanOrEqual(Math.ceil(sensors.length / 500));
  });
});
