import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Request, RequestHandler } from 'express';
import { rateLimitRejections } from '@chatbot/shared/platform';
import { rateLimited } from './http-error';

/**
 * The limiter's own name for the rejection metric: its key prefix without the deployment's namespace
 * (`chatbot:rl:sign-up-ip` is `sign-up-ip`), which is random in tests and the same for every limiter.
 */
function limiterName(limiter: RateLimiterAbstract): string {
  return limiter.keyPrefix.split(':rl:').at(-1) ?? limiter.keyPrefix;
}

/** Spends one point of `limiter` per request under `keyOf(req)`; over the limit answers 429 with Retry-After and the RateLimit headers. */
export function rateLimit(limiter: RateLimiterAbstract, keyOf: (req: Request) => string): RequestHandler {
  const name = limiterName(limiter);
  return async (req, _res, next) => {
    try {
      await limiter.consume(keyOf(req));
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        rateLimitRejections.inc({ limiter: name });
        throw rateLimited(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), limiter.points);
      }
      throw rejection;
    }
    next();
  };
}
