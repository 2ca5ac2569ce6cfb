import { X509Certificate, createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

import {
  certificateFingerprint,
  ensureKataCertificates,
  mintClientCertificate,
} from '../../src/upstreams/kata/simulator/certificates';

describe('KATA simulator certificates', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kata-certs-'));

  test('creates a CA, a server and a client certificate whose keys match, readable by the owner only', async () => {
    const certs = await ensureKataCertificates(dir);
    for (const [certFile, keyFile] of [
      [certs.serverCertFile, certs.serverKeyFile],
      [certs.clientCertFile, certs.clientKeyFile],
    ] as const) {
      const cert = new X509Certificate(readFileSync(certFile));
      expect(cert.checkPrivateKey(createPrivateKey(readFileSync(keyFile)))).toBe(true);
      expect(cert.verify(new X509Certificate(readFileSync(certs.caFile)).publicKey)).toBe(true);
      expect(statSync(keyFile).mode & 0o077).toBe(0);
    }
    expect(new X509Certificate(certs.server.cert).checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  test('reuses the files on a second call', async () => {
    const first = await ensureKataCertificates(dir);
    const second = await ensureKataCertificates(dir);
    expect(certificateFingerprint(second.client.cert)).toBe(certificateFingerprint(first.client.cert));
    expect(second.server.cert).toBe(first.server.cert);
  });

  test('a TLS client verifying against the CA completes mutual TLS with a minted certificate', async () => {
    const certs = await ensureKataCertificates(dir);
    const other = await mintClientCertificate('other-system', certs.ca);
    const selfSigned = await mintClientCertificate('self-signed-system');
    const server = https.createServer(
      { cert: certs.server.cert, key: certs.server.key, requestCert: true, rejectUnauthorized: false },
      (req, res) => res.end(certificateFingerprint((req.socket as TLSSocket).getPeerCertificate(true).raw)),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const get = (pair: { cert: string; key: string }) =>
      new Promise<string>((resolve, reject) => {
        https
          .get(
            { host: '127.0.0.1', port, path: '/', ca: certs.ca.cert, cert: pair.cert, key: pair.key, agent: false },
            (res) => {
              let body = '';
              res.on('data', (c) => (body += c));
              res.on('end', () => resolve(body));
            },
          )
          .on('error', reject);
      });
    try {
      expect(await get(other)).toBe(certificateFingerprint(other.cert));
      expect(await get(selfSigned)).toBe(certificateFingerprint(selfSigned.cert));
    } finally {
      server.close();
    }
  });
});
