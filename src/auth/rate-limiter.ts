export type Allowance = { allowed: true } | { allowed: false; retryAfterS: number };

/** Decides whether one more request from a caller may run now. */
export interface RateLimiter {
  /** Takes one request from `key`'s allowance; when refused, says how long until one is free. */
  take(key: string): Promise<Allowance>;
  /** Whether `key` has a request left, without taking it; when not, how long until it has. */
  peek(key: string): Promise<Allowance>;
}

export interface TokenBucketOptions {
  /** Sustained requests per minute per caller (RATE_LIMIT_PER_MINUTE). */
  perMinute: number;
  /** Requests a caller may make at once after being idle (RATE_LIMIT_BURST). */
  burst: number;
  /** Buckets kept at most; the longest idle are dropped first (a full bucket holds no information). */
  maxKeys?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per caller, in this process's memory: each caller has `burst` tokens, refilled at
 * `perMinute` per minute; a request takes one. Several gateway replicas each allow the full rate:
 * replicas share RedisRateLimiter instead (REDIS_URL).
 */
export class TokenBucketRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly burst: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor({ perMinute, burst, maxKeys = 100_000, now = Date.now }: TokenBucketOptions) {
    this.perMs = perMinute / 60_000;
    this.burst = burst;
    this.maxKeys = maxKeys;
    this.now = now;
  }

  async take(key: string): Promise<Allowance> {
    const answer = this.check(key);
    if (answer.allowed) this.buckets.get(key)!.tokens -= 1;
    return answer;
  }

  async peek(key: string): Promise<Allowance> {
    return this.check(key);
  }

  private check(key: string): Allowance {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    // Re-insert so Map order is least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) return { allowed: true };
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }
}
