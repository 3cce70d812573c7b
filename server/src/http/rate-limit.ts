import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Request, RequestHandler } from 'express';
import { rateLimited } from './http-error';

/** Spends one point of `limiter` per request under `keyOf(req)`; over the limit answers 429 with Retry-After. */
export function rateLimit(limiter: RateLimiterAbstract, keyOf: (req: Request) => string): RequestHandler {
  return async (req, _res, next) => {
    try {
      await limiter.consume(keyOf(req));
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        throw rateLimited(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      throw rejection;
    }
    next();
  };
}
