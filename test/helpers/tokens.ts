import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';

import type { Role } from '../../src/domain/caller';

export const TEST_ISSUER = 'https://idp.test.example/';
export const TEST_AUDIENCE = 'kaspersky-security-gateway';

export interface TestTokenOptions {
  role?: Role | Role[];
  /** One tenant the caller is limited to (shorthand for `tenants: [tenant]`). */
  tenant?: string;
  tenants?: string[];
  /** @default `test-<role>` */
  subject?: string;
  /** Seconds from now; negative for an expired token. @default 3600 */
  expiresIn?: number;
  /** Seconds from now the token becomes valid (nbf). */
  notBefore?: number;
  issuer?: string;
  audience?: string;
  /** Extra or overriding claims. */
  claims?: Record<string, unknown>;
}

/** A stand-in identity provider for tests: one ES256 key per test process, its JWKS, and tokens. */
export class TestIdentityProvider {
  private constructor(
    readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
    readonly kid: string,
  ) {}

  private static shared: Promise<TestIdentityProvider> | undefined;

  static get(): Promise<TestIdentityProvider> {
    return (TestIdentityProvider.shared ??= TestIdentityProvider.create('test-key-1'));
  }

  /** Another, untrusted key (a "wrong key" for tests). */
  static async create(kid: string): Promise<TestIdentityProvider> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    return new TestIdentityProvider(
      privateKey,
      { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
      kid,
    );
  }

  get jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** Writes the public key set and returns the gateway settings that trust it. */
  writeJwks(dir: string): Record<string, string> {
    const file = path.join(dir, 'test-jwks.json');
    writeFileSync(file, JSON.stringify(this.jwks));
    return { AUTH_JWKS_FILE: file, AUTH_ISSUER: TEST_ISSUER, AUTH_AUDIENCE: TEST_AUDIENCE };
  }

  async token(options: TestTokenOptions = {}): Promise<string> {
    const roles =
      options.role === undefined ? ['administrator'] : Array.isArray(options.role) ? options.role : [options.role];
    const tenants = options.tenants ?? (options.tenant ? [options.tenant] : undefined);
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ roles, ...(tenants ? { tenants } : {}), ...options.claims })
      .setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? TEST_ISSUER)
      .setAudience(options.audience ?? TEST_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresIn ?? 3600));
    // `claims: { sub: undefined }` leaves the subject out.
    if (!options.claims || !('sub' in options.claims))
      jwt.setSubject(options.subject ?? `test-${roles.join('+') || 'nobody'}`);
    if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
    return jwt.sign(this.privateKey);
  }

  async bearer(options: TestTokenOptions = {}): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.token(options)}` };
  }
}
