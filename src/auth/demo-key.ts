import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JWK } from 'jose';

import type { AuthSettings } from '../config/settings';
import type { Role } from '../domain/caller';
import { writePrivateFile } from '../config/state-dir';

export const DEMO_ISSUER = 'urn:kaspersky-security-gateway:demo';
export const DEMO_AUDIENCE = 'kaspersky-security-gateway';
const ALG = 'ES256';
const DIR = 'demo-auth';
const PRIVATE_FILE = 'signing-key.jwk.json';
const PUBLIC_FILE = 'jwks.json';

export interface TokenClaims {
  role: Role;
  /** Tenants the caller is limited to; omitted = every tenant. */
  tenants?: readonly string[];
  /** @default `demo-<role>` */
  subject?: string;
  /** @default 8 hours */
  ttlS?: number;
}

/**
 * The demo identity provider: a signing key kept in `$STATE_DIR/demo-auth/` (created once, owner
 * readable only), whose public half the gateway trusts as an ordinary JWKS file. Tokens it signs go
 * through exactly the verification production tokens do.
 */
export class DemoKey {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly kid: string,
    /** The public key set (AUTH_JWKS_FILE in demo mode). */
    readonly jwksFile: string,
  ) {}

  /** Where the public key set of the demo key in `stateDir` is (or will be). */
  static jwksFileIn(stateDir: string): string {
    return path.join(stateDir, DIR, PUBLIC_FILE);
  }

  /** Loads the key from `stateDir`, creating it the first time. */
  static async open(stateDir: string): Promise<DemoKey> {
    const dir = path.join(stateDir, DIR);
    const privateFile = path.join(dir, PRIVATE_FILE);
    const jwksFile = DemoKey.jwksFileIn(stateDir);
    if (existsSync(privateFile) && existsSync(jwksFile)) {
      const jwk = JSON.parse(readFileSync(privateFile, 'utf8')) as JWK;
      return new DemoKey((await importJWK(jwk, ALG)) as CryptoKey, jwk.kid!, jwksFile);
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    writePrivateFile(privateFile, JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: ALG }));
    writePrivateFile(jwksFile, JSON.stringify({ keys: [{ ...publicJwk, kid, alg: ALG, use: 'sig' }] }, null, 2));
    return new DemoKey(privateKey, kid, jwksFile);
  }

  /** What the gateway needs to trust this key. */
  authSettings(auth: AuthSettings): AuthSettings {
    return { ...auth, jwksFile: this.jwksFile, jwksUrl: undefined, issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE };
  }

  async sign(
    { role, tenants, subject = `demo-${role}`, ttlS = 8 * 3600 }: TokenClaims,
    auth: Pick<AuthSettings, 'rolesClaim' | 'tenantsClaim'>,
  ): Promise<string> {
    const claims: Record<string, unknown> = { [auth.rolesClaim]: [role] };
    if (tenants) claims[auth.tenantsClaim] = [...tenants];
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: 'JWT' })
      .setIssuer(DEMO_ISSUER)
      .setAudience(DEMO_AUDIENCE)
      .setSubject(subject)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlS)
      .sign(this.privateKey);
  }
}
