import { X509Certificate } from 'node:crypto';

import { ConfigError } from './config-error';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * The certificates of a PEM file (a CA bundle, or a certificate and its chain), each one parsed.
 * TLS would otherwise skip a block it cannot read, or take a DER file for an empty bundle, and the
 * mistake would surface later as an unverifiable upstream rather than as the setting that is wrong.
 */
export function pemCertificates(setting: string, content: Buffer): X509Certificate[] {
  const blocks = content.toString('latin1').match(PEM_CERTIFICATE) ?? [];
  if (!blocks.length) throw new ConfigError(setting, 'the file does not hold a PEM certificate.');
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new ConfigError(
        setting,
        `certificate ${index + 1} of ${blocks.length} in the file is not a valid PEM certificate.`,
      );
    }
  });
}
