import { GatewayError } from '../errors/gateway-error';
import type { SharedRedis } from '../state/redis';
import type { UpstreamClient } from '../upstreams/upstream-client';

export interface Readiness {
  ready: boolean;
  upstreams: { upstream: string; ready: boolean; reason?: string; session?: 'lost' }[];
  /** With REDIS_URL: ready once it answered; `connected` and `reason` say how it is now. */
  redis?: { ready: boolean; connected: boolean; reason?: string };
}

export interface ReadinessOptions {
  /** @default 3000 */
  timeoutMs?: number;
  redis?: SharedRedis;
}

/**
 * Ready once every configured upstream, and Redis when configured, has answered at least once.
 * What answered stays "ready" through later blips, and so does an upstream whose session is lost
 * (reported beside it): readiness gates traffic at start-up, and taking every replica out of the
 * Service for a state they share would stop what still works (other upstreams, requests with a
 * live token). Liveness is /healthz; the per-upstream state right now is the `upstreams` query.
 */
export class ReadinessProbe {
  private readonly answered = new Set<string>();
  private readonly reasons = new Map<string, string>();
  /** Probes under way: a check while one runs waits for it instead of pinging again. */
  private readonly probing = new Map<string, Promise<void>>();

  private readonly timeoutMs: number;
  private readonly redis?: SharedRedis;
  private redisAnswered = false;

  constructor(
    private readonly clients: readonly UpstreamClient[],
    { timeoutMs = 3_000, redis }: ReadinessOptions = {},
  ) {
    this.timeoutMs = timeoutMs;
    this.redis = redis;
  }

  async check(): Promise<Readiness> {
    const [sessions] = await Promise.all([
      Promise.all(this.clients.map((c) => c.sessionState?.().catch(() => undefined))),
      Promise.all(this.clients.filter((c) => !this.answered.has(c.upstream)).map((c) => this.probeOnce(c))),
      this.checkRedis(),
    ]);
    const upstreams = this.clients.map((c, i) => {
      const session = sessions[i];
      const answered = this.answered.has(c.upstream);
      return {
        upstream: c.upstream.toUpperCase(),
        ready: answered,
        ...(session?.lost ? { session: 'lost' as const, reason: session.reason } : {}),
        ...(answered ? {} : { reason: this.reasons.get(c.upstream) ?? 'not checked yet' }),
      };
    });
    const redis = this.redis
      ? {
          ready: this.redisAnswered,
          connected: this.redis.connected,
          ...(this.redis.connected ? {} : { reason: this.redis.reason }),
        }
      : undefined;
    return {
      ready: upstreams.every((u) => u.ready) && (redis?.ready ?? true),
      upstreams,
      ...(redis ? { redis } : {}),
    };
  }

  private async checkRedis(): Promise<void> {
    if (!this.redis || this.redisAnswered) return;
    try {
      await this.redis.ping();
      this.redisAnswered = true;
    } catch {
      // Reported from the connection's own state.
    }
  }

  private probeOnce(client: UpstreamClient): Promise<void> {
    let probe = this.probing.get(client.upstream);
    if (!probe) {
      probe = this.probe(client).finally(() => this.probing.delete(client.upstream));
      this.probing.set(client.upstream, probe);
    }
    return probe;
  }

  private async probe(client: UpstreamClient): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('no answer in time')), this.timeoutMs);
        }),
      ]);
      this.answered.add(client.upstream);
      this.reasons.delete(client.upstream);
    } catch (error) {
      this.reasons.set(
        client.upstream,
        error instanceof GatewayError ? `${error.code}: ${error.message}` : (error as Error).message,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
