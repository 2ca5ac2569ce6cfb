import { X509Certificate as NodeX509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import * as x509 from '@peculiar/x509';
import { writePrivateFile } from '../../../config/state-dir';

/** A certificate and its private key, both PEM. */
export interface PemPair {
  cert: string;
  key: string;
}

/** Where the KATA simulator's TLS material lives (all PEM files in one directory). */
export interface KataCertificateFiles {
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
}

export interface KataCertificates extends KataCertificateFiles {
  ca: PemPair;
  server: PemPair;
  client: PemPair;
}

export const KATA_CERT_FILE_NAMES = {
  caFile: 'kata-ca.pem',
  caKeyFile: 'kata-ca-key.pem',
  serverCertFile: 'kata-server.pem',
  serverKeyFile: 'kata-server-key.pem',
  clientCertFile: 'kata-client.pem',
  clientKeyFile: 'kata-client-key.pem',
} as const;

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const crypto = webcrypto;
x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

// ECDSA P-256: generated in milliseconds (RSA 2048 takes far longer), accepted by every TLS stack.
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/**
 * Creates the simulator's CA, server certificate (for 127.0.0.1, ::1 and localhost) and the
 * default external system's client certificate in `dir`, or reuses them when all are present, so a
 * restarted simulator keeps the identity a gateway was configured with.
 */
export async function ensureKataCertificates(dir: string): Promise<KataCertificates> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name: keyof typeof KATA_CERT_FILE_NAMES) => path.join(dir, KATA_CERT_FILE_NAMES[name]);
  const all = Object.keys(KATA_CERT_FILE_NAMES) as (keyof typeof KATA_CERT_FILE_NAMES)[];
  const files: KataCertificateFiles = {
    caFile: file('caFile'),
    serverCertFile: file('serverCertFile'),
    serverKeyFile: file('serverKeyFile'),
    clientCertFile: file('clientCertFile'),
    clientKeyFile: file('clientKeyFile'),
  };
  if (all.every((name) => existsSync(file(name)))) {
    const read = (name: keyof typeof KATA_CERT_FILE_NAMES) => readFileSync(file(name), 'utf8');
    const existing = {
      ca: { cert: read('caFile'), key: read('caKeyFile') },
      server: { cert: read('serverCertFile'), key: read('serverKeyFile') },
      client: { cert: read('clientCertFile'), key: read('clientKeyFile') },
    };
    if (stillValid(existing.ca.cert) && stillValid(existing.server.cert) && stillValid(existing.client.cert)) {
      return { ...files, ...existing };
    }
  }

  const ca = await createCertificateAuthority('KATA Simulator CA');
  const server = await issueCertificate(ca, {
    commonName: 'kata-simulator',
    usage: 'server',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1', '::1'],
  });
  const client = await issueCertificate(ca, { commonName: 'gateway-external-system', usage: 'client' });
  writePrivateFile(file('caFile'), ca.cert);
  writePrivateFile(file('caKeyFile'), ca.key);
  writePrivateFile(file('serverCertFile'), server.cert);
  writePrivateFile(file('serverKeyFile'), server.key);
  writePrivateFile(file('clientCertFile'), client.cert);
  writePrivateFile(file('clientKeyFile'), client.key);
  return { ...files, ca, server, client };
}

/** A self-signed CA able to issue server and client certificates. */
export async function createCertificateAuthority(commonName: string): Promise<PemPair> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 3650 * DAY_MS),
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

export interface IssueOptions {
  commonName: string;
  usage: 'server' | 'client';
  dnsNames?: string[];
  ipAddresses?: string[];
  /** @default 825 */
  validDays?: number;
}

/** A certificate signed by `issuer` (a pair from createCertificateAuthority). */
export async function issueCertificate(issuer: PemPair, options: IssueOptions): Promise<PemPair> {
  const { commonName, usage, dnsNames = [], ipAddresses = [], validDays = 825 } = options;
  const keys = await generateKeys();
  const issuerCert = new x509.X509Certificate(issuer.cert);
  const issuerKey = await importKey(issuer.key);
  const names = [
    ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...ipAddresses.map((value) => ({ type: 'ip' as const, value })),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${commonName}`,
    issuer: issuerCert.subject,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + validDays * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: issuerKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([
        usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
      ]),
      ...(names.length ? [new x509.SubjectAlternativeNameExtension(names)] : []),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

/**
 * Another external system's client certificate: signed by the simulator's CA (`issuer`), or
 * self-signed when no issuer is given (KATA accepts self-signed client certificates).
 */
export async function mintClientCertificate(commonName: string, issuer?: PemPair): Promise<PemPair> {
  if (issuer) return issueCertificate(issuer, { commonName, usage: 'client' });
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 365 * DAY_MS),
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
  });
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

/** SHA-256 fingerprint of a certificate (PEM or DER), as KATA would pin an approved client. */
export function certificateFingerprint(cert: string | Buffer): string {
  return new NodeX509Certificate(cert).fingerprint256;
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function exportKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
  return crypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign']);
}

function serial(): string {
  // Positive: the top bit clear, as DER INTEGER serials must be.
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function stillValid(pem: string): boolean {
  try {
    return Date.parse(new NodeX509Certificate(pem).validTo) > Date.now() + DAY_MS;
  } catch {
    return false;
  }
}
