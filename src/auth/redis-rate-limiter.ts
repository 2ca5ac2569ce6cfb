import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import type { SharedRedis } from '../state/redis';
import type { Allowance, RateLimiter } from './rate-limiter';

export interface RedisRateLimiterOptions {
  redis: SharedRedis;
  /** Tells this limit's keys from another's (`caller`, `auth-failures`). */
  name: string;
  perMinute: number;
  burst: number;
}

/**
 * One allowance per key for every replica, counted in Redis (rate-limiter-flexible): `burst`
 * requests per window of `burst / perMinute` minutes, so the sustained rate is `perMinute` and
 * at most `burst` come at once, as the in-memory token bucket allows. While Redis is unreachable
 * each replica counts in its own memory instead (the same window): requests go on being served
 * and limited, each replica allowing the full rate, until Redis is back.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly limiter: RateLimiterRedis;
  private readonly points: number;

  constructor({ redis, name, perMinute, burst }: RedisRateLimiterOptions) {
    const duration = Math.max(1, Math.ceil((burst * 60) / perMinute));
    this.points = burst;
    this.limiter = new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: redis.key(`rate:${name}`),
      points: burst,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: burst, duration }),
    });
  }

  async take(key: string): Promise<Allowance> {
    try {
      await this.limiter.consume(key);
      return { allowed: true };
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return { allowed: false, retryAfterS: retryAfterS(refusal) };
      throw refusal;
    }
  }

  async peek(key: string): Promise<Allowance> {
    const state = await this.limiter.get(key);
    if (!state || state.consumedPoints < this.points) return { allowed: true };
    return { allowed: false, retryAfterS: retryAfterS(state) };
  }
}

function retryAfterS(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}
