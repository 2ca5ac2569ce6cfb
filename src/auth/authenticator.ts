import type { IncomingMessage } from 'node:http';

import { ConfigError } from '../config/config-error';
import type { AuthSettings } from '../config/settings';
import type { Caller } from '../domain/caller';
import { JwtAuthenticator } from './jwt-authenticator';
import { fileKeySet, remoteKeySet } from './key-sets';

/** Establishes the caller of one HTTP request; throws a GatewayError (UNAUTHENTICATED) to refuse it. */
export type Authenticate = (req: IncomingMessage) => Promise<Caller>;

/** The caller of every request when AUTH_DISABLED=true (loopback only). */
export const ANONYMOUS_ADMINISTRATOR: Caller = Object.freeze<Caller>({
  subject: 'anonymous',
  roles: ['administrator'],
  tenants: null,
});

/** The configured way to authenticate callers; no configuration at all refuses to start. */
export function createAuthenticator(auth: AuthSettings): Authenticate {
  if (auth.disabled) return async () => ANONYMOUS_ADMINISTRATOR;
  const keys = auth.jwksUrl ? remoteKeySet(auth.jwksUrl) : auth.jwksFile ? fileKeySet(auth.jwksFile) : undefined;
  if (!keys) {
    throw new ConfigError(
      'AUTH_JWKS_URL',
      'caller authentication is not configured: set AUTH_JWKS_URL or AUTH_JWKS_FILE with AUTH_ISSUER and AUTH_AUDIENCE, or AUTH_DISABLED=true to run without it (loopback only).',
    );
  }
  return new JwtAuthenticator(auth, keys).authenticate;
}
