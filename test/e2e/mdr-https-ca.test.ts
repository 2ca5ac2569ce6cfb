import { createCertificateAuthority, issueCertificate } from '../../src/upstreams/kata/simulator/certificates';
import { startMdrSimulator } from '../../src/upstreams/mdr/simulator';
import type { MdrSimulator } from '../../src/upstreams/mdr/simulator';
import { startTestGateway } from '../helpers/gateway';
import { mdrSettings } from '../helpers/mdr';

describe('MDR over HTTPS with a private CA', () => {
  let sim: MdrSimulator;

  beforeAll(async () => {
    const ca = await createCertificateAuthority('MDR test CA');
    const server = await issueCertificate(ca, {
      commonName: 'localhost',
      usage: 'server',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    });
    sim = await startMdrSimulator({ scale: 0.01, tls: { cert: server.cert, key: server.key } });
    (sim as { caPem?: string }).caPem = ca.cert;
  });
  afterAll(() => sim?.close());

  it('trusts the configured CA besides the system store', async () => {
    expect(sim.url).toMatch(/^https:/);
    const gw = await startTestGateway({
      mdr: { ...mdrSettings(sim), ca: Buffer.from((sim as { caPem?: string }).caPem!) },
    });
    try {
      const data = await gw.gql('{ assets(first: 1) { nodes { assetId } } }');
      expect(data.assets.nodes).toHaveLength(1);
    } finally {
      await gw.stop();
    }
  });

  it('without the CA the handshake fails with a coded error', async () => {
    const gw = await startTestGateway({ mdr: mdrSettings(sim) });
    try {
      const { body } = await gw.gqlRaw('{ assets(first: 1) { nodes { assetId } } }');
      expect(body.errors?.[0]).toMatchObject({
        path: ['assets'],
        extensions: { code: 'UPSTREAM_AUTH_FAILED', upstream: 'MDR' },
      });
    } finally {
      await gw.stop();
    }
  });
});
