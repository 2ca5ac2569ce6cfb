import { GatewayError } from '../errors/gateway-error';
import type { UpstreamClient } from '../upstreams/upstream-client';

export interface Readiness {
  ready: boolean;
  upstreams: { upstream: string; ready: boolean; reason?: string }[];
}

/**
 * Ready once every configured upstream has answered at least once. An upstream that answered stays
 * "ready" through later blips: readiness gates traffic at start-up, liveness is /healthz, and the
 * per-upstream state right now is the `upstreams` query.
 */
export class ReadinessProbe {
  private readonly answered = new Set<string>();
  private readonly reasons = new Map<string, string>();
  /** Probes under way: a check while one runs waits for it instead of pinging again. */
  private readonly probing = new Map<string, Promise<void>>();

  constructor(
    private readonly clients: readonly UpstreamClient[],
    private readonly timeoutMs = 3_000,
  ) {}

  async check(): Promise<Readiness> {
    await Promise.all(this.clients.filter((c) => !this.answered.has(c.upstream)).map((c) => this.probeOnce(c)));
    const upstreams = this.clients.map((c) => ({
      upstream: c.upstream.toUpperCase(),
      ready: this.answered.has(c.upstream),
      ...(this.answered.has(c.upstream) ? {} : { reason: this.reasons.get(c.upstream) ?? 'not checked yet' }),
    }));
    return { ready: upstreams.every((u) => u.ready), upstreams };
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
