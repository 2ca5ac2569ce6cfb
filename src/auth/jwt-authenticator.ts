import type { IncomingMessage } from 'node:http';

import { errors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';

import type { AuthSettings } from '../config/settings';
import type { Caller, Role } from '../domain/caller';
import { GatewayError } from '../errors/gateway-error';
import { hasRole, isRole } from './roles';

/** How long a verified token is taken on trust before its signature is checked again against the current key set. */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;

interface Verified {
  caller: Caller;
  /** Epoch ms: a minute after verification, or `exp` plus the clock tolerance if sooner. */
  trustedUntil: number;
}

/**
 * Establishes the caller from `Authorization: Bearer <JWT>`: signature by a key of the identity
 * provider's key set with an allowed (asymmetric) algorithm, issuer, audience, `exp`/`nbf` with a
 * small clock tolerance; roles and tenants from the configured claims.
 *
 * A signature check costs more than the rest of a small query, and a frontend sends the same token
 * with every request: a token verified once is remembered (by its exact text, signature included)
 * for at most a minute and never past its `exp`. Refusals are not remembered.
 */
export class JwtAuthenticator {
  private readonly verified = new LRUCache<string, Verified>({ max: VERIFIED_MAX });

  constructor(
    private readonly settings: Pick<
      AuthSettings,
      'issuer' | 'audience' | 'rolesClaim' | 'tenantsClaim' | 'clockToleranceS' | 'algorithms'
    >,
    private readonly keys: JWTVerifyGetKey,
  ) {}

  readonly authenticate = async (req: IncomingMessage): Promise<Caller> => {
    const token = bearerToken(req.headers.authorization);
    const known = this.verified.get(token);
    if (known && Date.now() < known.trustedUntil) return known.caller;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: this.settings.algorithms,
        clockTolerance: this.settings.clockToleranceS,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      this.verified.delete(token);
      throw refusal(error);
    }
    const caller = callerFromClaims(payload, this.settings);
    const trustedUntil = Math.min(Date.now() + VERIFIED_TTL_MS, (payload.exp! + this.settings.clockToleranceS) * 1000);
    this.verified.set(token, { caller: Object.freeze(caller), trustedUntil });
    return caller;
  };
}

/** A tenants claim holding this value grants every tenant, whatever the caller's role. */
export const ALL_TENANTS = '*';

export function callerFromClaims(
  payload: JWTPayload,
  settings: Pick<AuthSettings, 'rolesClaim' | 'tenantsClaim'> & Partial<Pick<AuthSettings, 'allTenantsRoles'>>,
): Caller {
  const roles = [...new Set<Role>(stringsOf(claim(payload, settings.rolesClaim)).filter(isRole))];
  const tenantsValue = claim(payload, settings.tenantsClaim);
  const claimed = tenantsValue === undefined || tenantsValue === null ? null : stringsOf(tenantsValue);
  return { subject: String(payload.sub), roles, tenants: tenantsOf(claimed, roles, settings.allTenantsRoles) };
}

/**
 * The tenants a caller may see (null: every one). A claim, even empty, limits the caller to those
 * listed, unless it lists `*`. Without a claim, only callers holding one of `allTenantsRoles` (or a
 * stronger role) see every tenant; anyone else sees none, so a token whose identity provider forgot
 * the claim cannot read across customers.
 */
function tenantsOf(
  claimed: string[] | null,
  roles: readonly Role[],
  allTenantsRoles: readonly Role[] = ['administrator'],
): string[] | null {
  if (claimed !== null) return claimed.includes(ALL_TENANTS) ? null : claimed;
  const caller = { subject: '', roles, tenants: null };
  return allTenantsRoles.some((role) => hasRole(caller, role)) ? null : [];
}

function bearerToken(header: string | undefined): string {
  if (!header?.trim()) throw unauthenticated('A bearer token is required (Authorization: Bearer <token>).');
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)[ ]*$/i.exec(header);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
  return match[1]!;
}

/** A claim by name, or by dotted path for providers that nest roles (`realm_access.roles`). */
function claim(payload: JWTPayload, name: string): unknown {
  if (name in payload) return payload[name];
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Claims come as an array or as one space- or comma-separated string. */
function stringsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

function unauthenticated(message: string, reason = 'invalid_token'): GatewayError {
  return new GatewayError('UNAUTHENTICATED', message, { details: { reason } });
}

/** jose's failure → a client-safe 401 (or 503 when the key set cannot be fetched). */
function refusal(error: unknown): GatewayError {
  if (error instanceof errors.JWTExpired) return unauthenticated('The token has expired.', 'expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
      case 'iat':
        return unauthenticated('The token is not valid yet.', 'not_yet_valid');
      case 'iss':
        return unauthenticated('The token was not issued by the trusted identity provider.', 'wrong_issuer');
      case 'aud':
        return unauthenticated('The token is not meant for this gateway.', 'wrong_audience');
      default:
        return unauthenticated(`The token lacks a valid "${error.claim}" claim.`);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return unauthenticated('The token is signed with an algorithm this gateway does not accept.', 'algorithm');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return unauthenticated('The token is not signed by a trusted key.', 'signature');
  }
  if (keySetUnavailable(error)) {
    return new GatewayError('UPSTREAM_UNAVAILABLE', "The identity provider's key set cannot be fetched.", {
      cause: error,
    });
  }
  return unauthenticated('The token is malformed.');
}

/** The key set could not be had (network, timeout, not a key set): the provider's fault, not the caller's. */
function keySetUnavailable(error: unknown): boolean {
  // jose reports token faults as JOSEErrors; anything else came from fetching the key set (fetch
  // throws a TypeError, possibly from another realm, so no `instanceof Error`).
  if (!(error instanceof errors.JOSEError)) return true;
  return (
    error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error.code === 'ERR_JOSE_GENERIC'
  );
}
