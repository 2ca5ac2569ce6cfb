import { once } from 'node:events';

import { Redis } from 'ioredis';

import type { RedisSettings } from '../config/settings';
import type { Logger } from '../logger';
import type { GatewayMetrics } from '../metrics';

export interface SharedRedisOptions {
  settings: RedisSettings;
  logger: Logger;
  metrics?: GatewayMetrics;
  /** A command that takes longer fails, so a stalled Redis cannot hold a request. @default 2000 */
  commandTimeoutMs?: number;
}

/**
 * The one connection to the Redis (or Valkey) that gateway replicas share, and the one place that
 * knows its key layout: every shared thing (MDR token store, rate limits) takes its client and
 * keys from here.
 *
 * Commands fail at once while the connection is down instead of queueing (no offline queue): a
 * request that can do without Redis (an access token in memory, the in-memory limit that stands in)
 * goes on, and what needs it (a rotation) waits and retries by itself.
 */
export class SharedRedis {
  readonly client: Redis;
  private readonly prefix: string;
  private lastError?: string;

  constructor({ settings, logger, metrics, commandTimeoutMs = 2_000 }: SharedRedisOptions) {
    this.prefix = settings.keyPrefix;
    this.client = new Redis(settings.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: commandTimeoutMs,
      // Back at once after a restart, at most a second apart while it is away.
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
      ...(settings.url.startsWith('rediss:') ? { tls: {} } : {}),
    });
    let down = false;
    this.client.on('ready', () => {
      metrics?.redisConnected.set(1);
      this.lastError = undefined;
      if (down) logger.info('Redis connection back');
      down = false;
    });
    this.client.on('error', (error: Error) => {
      this.lastError = error.message;
      metrics?.redisConnected.set(0);
      // One line per outage, not one per reconnection attempt.
      if (!down) logger.warn({ err: error.message }, 'Redis unreachable; retrying');
      down = true;
    });
    this.client.on('end', () => metrics?.redisConnected.set(0));
  }

  /** `name` under this gateway's key prefix. */
  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  get keyPrefix(): string {
    return this.prefix;
  }

  /** Whether commands can be sent now. */
  get connected(): boolean {
    return this.client.status === 'ready';
  }

  /** Why Redis cannot be used now (for /readyz). */
  get reason(): string {
    return this.lastError ? `Redis unreachable: ${this.lastError}` : `Redis connection ${this.client.status}`;
  }

  /** Waits for the first connection, at most `timeoutMs`; start-up goes on either way. */
  async ready(timeoutMs = 3_000): Promise<boolean> {
    if (this.connected) return true;
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(), timeoutMs);
    try {
      await once(this.client, 'ready', { signal: timer.signal });
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timeout);
    }
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
