import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { pemCertificates } from '../../config/certificates';
import { ConfigError } from '../../config/config-error';
import type { KataSettings } from '../../config/settings';

/** The parsed mutual-TLS identity of the gateway as a KATA external system. */
export interface KataClientIdentity {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  /** SHA-256 fingerprint: what a KATA administrator sees when approving the request. */
  fingerprint: string;
  validTo: Date;
}

/**
 * Checks the certificate, key and CA before the first call, so a wrong file is a start-up error
 * naming the setting rather than an opaque TLS failure later.
 */
export function loadClientIdentity(
  settings: Pick<KataSettings, 'cert' | 'key' | 'ca'>,
  now = Date.now(),
): KataClientIdentity {
  const { cert, key, ca } = settings;
  if (!cert || cert.length === 0) {
    throw new ConfigError(
      'KATA_CERT_FILE',
      'KATA needs a client certificate (PEM) for mutual TLS; the file is missing or empty.',
    );
  }
  if (!key || key.length === 0) {
    throw new ConfigError(
      'KATA_KEY_FILE',
      'KATA needs the private key (PEM) of the client certificate; the file is missing or empty.',
    );
  }
  // The first certificate is the client's own; any after it are its chain.
  const [x509] = pemCertificates('KATA_CERT_FILE', cert);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new ConfigError('KATA_KEY_FILE', 'the file does not hold an unencrypted PEM private key.');
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new ConfigError('KATA_KEY_FILE', 'the private key does not match the certificate in KATA_CERT_FILE.');
  }
  const validTo = new Date(x509.validTo);
  if (validTo.getTime() <= now) {
    throw new ConfigError('KATA_CERT_FILE', `the client certificate expired on ${validTo.toISOString()}.`);
  }
  if (ca && ca.length > 0) pemCertificates('KATA_CA_FILE', ca);
  return { cert, key, ca: ca && ca.length > 0 ? ca : undefined, fingerprint: x509.fingerprint256, validTo };
}
