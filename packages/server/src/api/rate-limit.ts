import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit } from '../config.js';

/** One credential's standing after a request: how many remain in the window (below 0: refused) and when it ends. */
export interface RateState {
  remaining: number;
  /** Epoch milliseconds. */
  resetAt: number;
}

/** Counts requests per key in fixed windows. */
export interface RateLimiter {
  readonly limit: number;
  /** Counts one request: synchronously when the count is in memory, a promise when it is in Redis. */
  take(key: string): RateState | Promise<RateState>;
}

/**
 * The in-process limiter: one window for every key, aligned to the clock (a minute window ends
 * on the minute), so a request costs a Map lookup and an increment, and the whole Map is dropped
 * when the window ends (memory stays bounded by the credentials seen in one window). The state
 * it answers is one object reused for every call: read it before the next take().
 */
export class MemoryRateLimiter implements RateLimiter {
  private counts = new Map<string, number>();
  private readonly state: RateState = { remaining: 0, resetAt: 0 };
  private readonly windowMs: number;

  constructor(
    readonly limit: number,
    windowSeconds: number,
  ) {
    this.windowMs = windowSeconds * 1000;
  }

  take(key: string): RateState {
    const now = Date.now();
    if (now >= this.state.resetAt) {
      this.counts = new Map();
      this.state.resetAt = now - (now % this.windowMs) + this.windowMs;
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    this.state.remaining = this.limit - count;
    return this.state;
  }
}

/**
 * The limiter every Porter process shares, through Redis (rate-limiter-flexible: one atomic
 * increment with expiry per request). When Redis cannot answer it falls back to counting in
 * this process (its insurance limiter), so requests are still limited — per process — and never
 * wait for a Redis that is down.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    readonly limit: number,
    windowSeconds: number,
    redis: Redis,
    keyPrefix: string,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      points: limit,
      duration: windowSeconds,
      keyPrefix,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: limit, duration: windowSeconds }),
    });
  }

  take(key: string): Promise<RateState> {
    return this.limiter.consume(key).then(
      (res) => this.stateOf(res),
      (res: unknown) => {
        if (res instanceof RateLimiterRes) return this.stateOf(res);
        throw res;
      },
    );
  }

  private stateOf(res: RateLimiterRes): RateState {
    return { remaining: this.limit - res.consumedPoints, resetAt: Date.now() + res.msBeforeNext };
  }
}

/** The limiter for a configuration: Redis-backed when a client is given, in-process otherwise. */
export function rateLimiter(config: RateLimit, redis: Redis | undefined, prefix: string): RateLimiter {
  return redis
    ? new RedisRateLimiter(config.limit, config.windowSeconds, redis, `${prefix}:rl`)
    : new MemoryRateLimiter(config.limit, config.windowSeconds);
}
