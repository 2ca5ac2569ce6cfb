import type { KscSettings } from '../../config/settings';
import { Transport } from '../transport';
import type { TransportOptions } from '../transport';
import type { UpstreamDeps } from '../upstream-client';
import { KscClient } from './client';
import { KscSession } from './session';

export interface CreateKscClientOptions {
  /** Overrides of the transport's defaults (tests: a tighter retry budget). */
  transport?: Partial<Omit<TransportOptions, 'upstream' | 'origin' | 'ca'>>;
}

/** Builds the KSC client: one pool of `maxConcurrency` connections and one shared token session. */
export async function createKscClient(
  settings: KscSettings,
  deps: UpstreamDeps,
  options: CreateKscClientOptions = {},
): Promise<KscClient> {
  const origin = new URL(settings.url).origin;
  const maxConcurrency = Math.max(1, settings.maxConcurrency || 4);
  const http = new Transport({
    upstream: 'ksc',
    origin,
    ca: settings.ca,
    // KSC answers each connection strictly in turn, so concurrency is the number of connections.
    connections: maxConcurrency,
    metrics: deps.metrics,
    retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, budgetMs: 10_000 },
    ...options.transport,
  });
  deps.logger.debug?.({ upstream: 'ksc', origin, user: settings.username, maxConcurrency }, 'KSC client configured');
  return new KscClient(http, new KscSession(http, settings), maxConcurrency);
}
