import https from 'node:https';
import tls from 'node:tls';

import { ConfigError } from '../../src/config/config-error';
import type { KataSettings } from '../../src/config/settings';
import { silentLogger } from '../../src/logger';
import { KataClient } from '../../src/upstreams/kata/client';
import { createKataClient } from '../../src/upstreams/kata/create';
import { startKataSimulator } from '../../src/upstreams/kata/simulator';
import type { KataSimulator } from '../../src/upstreams/kata/simulator';
import { mintClientCertificate } from '../../src/upstreams/kata/simulator/certificates';
import type { PemPair } from '../../src/upstreams/kata/simulator/certificates';
import { Transport } from '../../src/upstreams/transport';
import { kataSettings } from '../helpers/kata';

const deps = { logger: silentLogger, stateDir: '' };

describe('KATA mutual TLS and external-system approval', () => {
  let sim: KataSimulator;
  let settings: KataSettings;
  let other: PemPair;
  const clients: KataClient[] = [];
  const client = async (overrides: Partial<KataSettings>) => {
    const c = await createKataClient({ ...settings, ...overrides }, deps, { transport: { keepAliveTimeoutMs: 10 } });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    sim = await startKataSimulator({ scale: 0.05 });
    settings = kataSettings(sim);
    other = await mintClientCertificate('another-system', sim.certificates.ca);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await sim.close();
  });

  test('the approved external system lists sensors and pings', async () => {
    const kata = await client({});
    await expect(kata.ping()).resolves.toBeUndefined();
    const sensors = await kata.listSensors();
    expect(sensors.length).toBe(sim.routes.sensorList().length);
    expect(sensors[0]).toMatchObject({
      sensorId: expect.stringMatching(/^[0-9A-F-]{36}$/),
      hostName: expect.any(String),
    });
    const byHost = await kata.listSensors({ hostName: sensors[0]!.hostName! });
    expect(byHost.map((s) => s.sensorId)).toEqual([sensors[0]!.sensorId]);
  });

  test('connections opened together share one TLS context, built with the client', async () => {
    // Building one with the system roots and our CA took 40 ms of the event loop per connection.
    const built = jest.spyOn(tls, 'createSecureContext');
    let handshakes = 0;
    const count = () => void handshakes++;
    sim.server.server.on('secureConnection', count);
    try {
      const kata = await client({});
      expect(built).toHaveBeenCalledTimes(1);
      await Promise.all(Array.from({ length: 4 }, () => kata.ping()));
      expect(handshakes).toBeGreaterThanOrEqual(2);
      expect(built).toHaveBeenCalledTimes(1);
    } finally {
      sim.server.server.off('secureConnection', count);
      built.mockRestore();
    }
  });

  test('a request without a client certificate gets 401', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      https
        .get(
          `${sim.url}/kata/response_api/v1/${sim.info.externalSystemId}/sensors`,
          { ca: settings.ca, agent: false },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        )
        .on('error', reject);
    });
    expect(status).toBe(401);
  });

  test('a client presenting no certificate is told so', async () => {
    const http = new Transport({ upstream: 'kata', origin: sim.url, ca: settings.ca, keepAliveTimeoutMs: 10 });
    const bare = new KataClient(http, settings.externalSystemId);
    clients.push(bare);
    await expect(bare.ping()).rejects.toMatchObject({
      code: 'UPSTREAM_AUTH_FAILED',
      message: expect.stringContaining('none was presented'),
    });
  });

  test("another system's certificate under the approved id is refused as not matching", async () => {
    const kata = await client({ cert: Buffer.from(other.cert), key: Buffer.from(other.key) });
    await expect(kata.ping()).rejects.toMatchObject({
      code: 'UPSTREAM_AUTH_FAILED',
      upstream: 'kata',
      message: expect.stringContaining('certificate does not match'),
    });
  });

  test('a new external system is pending until approved, then accepted', async () => {
    const id = 'B2C1F7A4-5E0D-4C1B-9A7E-6F1D2C3B4A50';
    const kata = await client({ externalSystemId: id, cert: Buffer.from(other.cert), key: Buffer.from(other.key) });
    await expect(kata.ping()).rejects.toMatchObject({
      code: 'UPSTREAM_AUTH_FAILED',
      message: expect.stringContaining('awaiting approval in KATA'),
    });
    expect(sim.routes.pendingApprovals()).toContain(id);
    expect(sim.routes.approve(id)).toBe(true);
    await expect(kata.ping()).resolves.toBeUndefined();
  });

  test('a key that does not belong to the certificate is a start-up error naming KATA_KEY_FILE', async () => {
    await expect(createKataClient({ ...settings, key: Buffer.from(other.key) }, deps)).rejects.toThrow(ConfigError);
    await expect(createKataClient({ ...settings, key: Buffer.from(other.key) }, deps)).rejects.toThrow(/KATA_KEY_FILE/);
    await expect(createKataClient({ ...settings, cert: Buffer.alloc(0) }, deps)).rejects.toThrow(/KATA_CERT_FILE/);
    await expect(createKataClient({ ...settings, cert: Buffer.from('not a certificate') }, deps)).rejects.toThrow(
      /KATA_CERT_FILE/,
    );
  });
});
