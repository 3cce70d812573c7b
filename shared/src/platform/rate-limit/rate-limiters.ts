import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimiterSpec {
  /** Unique per limiter; becomes the Redis key prefix. */
  keyPrefix: string;
  points: number;
  durationSeconds: number;
  /** How long a key stays blocked once over the limit (defaults to the rest of the window). */
  blockSeconds?: number;
}

export type LimiterFactory = (spec: LimiterSpec) => RateLimiterAbstract;

/**
 * Rate limiters shared by every process when Redis is configured, in memory otherwise. A Redis limiter
 * falls back to an in-memory one while Redis is unreachable, so an outage loosens limits instead of
 * failing requests.
 */
export function createLimiterFactory(redis: Redis | null, namespace: string): LimiterFactory {
  return (spec) => {
    const options = {
      keyPrefix: `${namespace}:rl:${spec.keyPrefix}`,
      points: spec.points,
      duration: spec.durationSeconds,
      blockDuration: spec.blockSeconds ?? 0,
    };
    if (!redis) return new RateLimiterMemory(options);
    return new RateLimiterRedis({
      ...options,
      storeClient: redis,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  };
}
