import type { KataSettings } from '../../config/settings';
import { Transport } from '../transport';
import type { TransportOptions } from '../transport';
import type { UpstreamDeps } from '../upstream-client';
import { KataClient } from './client';
import type { KataClientOptions } from './client';
import { loadClientIdentity } from './tls';

const RESPONSE_API = '/kata/response_api/v1';

export interface CreateKataClientOptions extends KataClientOptions {
  /** Overrides of the transport's defaults (tests: a tighter retry budget). */
  transport?: Partial<Omit<TransportOptions, 'upstream' | 'origin' | 'cert' | 'key' | 'ca'>>;
}

/**
 * Builds the KATA client: validates the mutual-TLS identity first (a ConfigError naming
 * KATA_CERT_FILE / KATA_KEY_FILE / KATA_CA_FILE), then a transport presenting it.
 */
export async function createKataClient(
  settings: KataSettings,
  deps: UpstreamDeps,
  options: CreateKataClientOptions = {},
): Promise<KataClient> {
  const identity = loadClientIdentity(settings);
  const url = new URL(settings.url);
  // KATA_URL is the Central Node's origin; a URL already ending in the API path is accepted too.
  const path = url.pathname.replace(/\/+$/, '');
  const basePath = path.endsWith(RESPONSE_API) ? path : `${path}${RESPONSE_API}`;
  const http = new Transport({
    upstream: 'kata',
    origin: url.origin,
    cert: identity.cert,
    key: identity.key,
    ca: identity.ca,
    metrics: deps.metrics,
    // Every KATA call is safe to repeat (tasks carry their id), so give 5xx/429 a few more tries.
    retry: { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1_000, budgetMs: 10_000 },
    ...options.transport,
  });
  deps.logger.debug?.(
    {
      upstream: 'kata',
      origin: url.origin,
      externalSystemId: settings.externalSystemId,
      certificate: identity.fingerprint,
    },
    'KATA client configured',
  );
  return new KataClient(http, settings.externalSystemId, { basePath, ...options });
}
