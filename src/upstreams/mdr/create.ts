import { watchSecretFile } from '../../config/secret-file';
import type { MdrSettings } from '../../config/settings';
import { Transport } from '../transport';
import type { TransportOptions } from '../transport';
import type { UpstreamDeps } from '../upstream-client';
import { MdrClient } from './client';
import { RedisTokenStore } from './redis-token-store';
import { connectionOf, FileTokenStore, MdrTokens } from './tokens';
import type { TokenStore } from './tokens';

export interface CreateMdrClientOptions {
  /** Replace the store. @default RedisTokenStore with `deps.shared`, else FileTokenStore in stateDir */
  store?: TokenStore;
  transport?: Partial<Omit<TransportOptions, 'upstream' | 'origin' | 'ca'>>;
}

/** Builds the MDR client: transport to the API origin, and the rotating-token session. */
export async function createMdrClient(
  settings: MdrSettings,
  deps: UpstreamDeps,
  options: CreateMdrClientOptions = {},
): Promise<MdrClient> {
  const url = new URL(settings.url);
  const basePath = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(settings.clientId)}`;
  const http = new Transport({
    upstream: 'mdr',
    origin: url.origin,
    ca: settings.ca,
    metrics: deps.metrics,
    retry: { maxRetries: 4, baseDelayMs: 50, maxDelayMs: 1_000, budgetMs: 10_000 },
    ...options.transport,
  });
  const connection = connectionOf(settings.refreshToken);
  const tokens = new MdrTokens({
    http,
    basePath,
    initialRefreshToken: settings.refreshToken,
    store:
      options.store ??
      (deps.shared
        ? new RedisTokenStore(deps.shared.redis, settings.clientId, connection, deps.shared.waitReplicas)
        : new FileTokenStore(deps.stateDir, settings.clientId, connection)),
    logger: deps.logger,
    metrics: deps.metrics,
    lockMs: settings.rotationLockMs,
  });
  // A Kubernetes Secret update replaces the file: a refused token is replaced without a restart.
  const unwatch = settings.refreshTokenFile
    ? watchSecretFile(settings.refreshTokenFile, (token) => tokens.configure(token), deps.logger)
    : undefined;
  return new MdrClient(http, tokens, basePath, unwatch);
}
