import type { KataSettings } from '../../src/config/settings';
import { startKataSimulator } from '../../src/upstreams/kata/simulator';
import type { KataSimulator } from '../../src/upstreams/kata/simulator';
import { mintClientCertificate } from '../../src/upstreams/kata/simulator/certificates';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { kataSettings } from '../helpers/kata';

const HEALTH = '{ upstreams { upstream configured reachable message code } }';
const SENSORS = '{ sensors { sensorId } }';

describe('the gateway reports a KATA external system that is not (or differently) approved', () => {
  let sim: KataSimulator;
  let base: KataSettings;
  const gateways: TestGateway[] = [];
  const gateway = async (kata: KataSettings) => {
    const gw = await startTestGateway({ kata });
    gateways.push(gw);
    return gw;
  };
  const kataHealth = async (gw: TestGateway) => {
    const { upstreams } = await gw.gql(HEALTH);
    return upstreams.find((u: { upstream: string }) => u.upstream === 'KATA');
  };

  beforeAll(async () => {
    sim = await startKataSimulator({ scale: 0.05 });
    base = kataSettings(sim);
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await sim.close();
  });

  test('the approved system is reachable', async () => {
    const gw = await gateway(base);
    expect(await kataHealth(gw)).toEqual({
      upstream: 'KATA',
      configured: true,
      reachable: true,
      message: null,
      code: null,
    });
  });

  test('an unapproved system is refused as awaiting approval, in upstreams and in errors, until approved', async () => {
    const pair = await mintClientCertificate('new-soar');
    const externalSystemId = '0c7e5a1d-2b3f-4e6a-9d8c-7b6a5f4e3d2c';
    const gw = await gateway({ ...base, externalSystemId, cert: Buffer.from(pair.cert), key: Buffer.from(pair.key) });
    expect(await kataHealth(gw)).toEqual({
      upstream: 'KATA',
      configured: true,
      reachable: false,
      code: 'UPSTREAM_AUTH_FAILED',
      message: `KATA refused the request: the external system id ${externalSystemId} is awaiting approval in KATA; an administrator must approve it.`,
    });
    const { body } = await gw.gqlRaw(SENSORS);
    // Only the failing field is affected: its list arrives empty, the coded error sits at its path.
    expect(body).toEqual({
      data: { sensors: [] },
      errors: [
        {
          message: expect.stringContaining('awaiting approval in KATA'),
          locations: [{ line: 1, column: 3 }],
          path: ['sensors'],
          extensions: { code: 'UPSTREAM_AUTH_FAILED', upstream: 'KATA', paths: [['sensors']] },
        },
      ],
    });
    expect(sim.routes.pendingApprovals()).toContain(externalSystemId.toUpperCase());

    sim.routes.approve(externalSystemId);
    expect(await kataHealth(gw)).toMatchObject({ reachable: true, code: null });
    expect((await gw.gql(SENSORS)).sensors.length).toBe(sim.routes.sensorList().length);
  });

  test("another system's certificate under the approved id does not match", async () => {
    const pair = await mintClientCertificate('impostor', sim.certificates.ca);
    const gw = await gateway({ ...base, cert: Buffer.from(pair.cert), key: Buffer.from(pair.key) });
    expect(await kataHealth(gw)).toEqual({
      upstream: 'KATA',
      configured: true,
      reachable: false,
      code: 'UPSTREAM_AUTH_FAILED',
      message: `KATA refused the client certificate: the certificate does not match the one approved for external system id ${base.externalSystemId}.`,
    });
    const { body } = await gw.gqlRaw(SENSORS);
    expect(body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'UPSTREAM_AUTH_FAILED' }) }),
    ]);
  });

  test('a gateway without a client certificate, or with a key of another certificate, does not start', async () => {
    const pair = await mintClientCertificate('x');
    await expect(startTestGateway({ kata: { ...base, cert: Buffer.alloc(0) } })).rejects.toThrow(/KATA_CERT_FILE/);
    await expect(startTestGateway({ kata: { ...base, key: Buffer.from(pair.key) } })).rejects.toThrow(
      /KATA_KEY_FILE.*does not match/,
    );
  });
});
