import { readFileSync, statSync } from 'node:fs';

import { createLocalJWKSet, createRemoteJWKSet, errors } from 'jose';
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';

import { ConfigError } from '../config/config-error';

/**
 * The identity provider's key set over HTTPS. jose caches it, refetches it when a token names a
 * `kid` it does not know (key rotation), at most once per cooldown so unknown kids cannot make us
 * hammer the provider.
 */
export function remoteKeySet(url: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 600_000, timeoutDuration: 5_000 });
}

/**
 * A key set from a local JWKS file, read at start-up (a bad file stops the start) and read again
 * when a token names an unknown `kid` and the file changed since, so keys rotate without a restart.
 */
export function fileKeySet(file: string): JWTVerifyGetKey {
  let loaded = load(file);
  return async (header, token) => {
    try {
      return await loaded.keys(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      const mtimeMs = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
      if (mtimeMs === undefined || mtimeMs === loaded.mtimeMs) throw error;
      loaded = load(file);
      return loaded.keys(header, token);
    }
  };
}

function load(file: string): { keys: JWTVerifyGetKey; mtimeMs: number } {
  let jwks: JSONWebKeySet;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
    jwks = JSON.parse(readFileSync(file, 'utf8')) as JSONWebKeySet;
  } catch (error) {
    throw new ConfigError(
      'AUTH_JWKS_FILE',
      `the file ${file} cannot be read as a JSON key set (${(error as Error).message.split('\n')[0]}).`,
    );
  }
  if (!Array.isArray(jwks?.keys) || jwks.keys.length === 0) {
    throw new ConfigError('AUTH_JWKS_FILE', `the file ${file} holds no keys ({"keys": [...]}).`);
  }
  if (jwks.keys.some((key) => key.kty === 'oct' || 'd' in key)) {
    // A private or symmetric key in a file meant to be public is a mistake worth stopping for.
    throw new ConfigError('AUTH_JWKS_FILE', `the file ${file} must hold public keys only.`);
  }
  return { keys: createLocalJWKSet(jwks), mtimeMs };
}
