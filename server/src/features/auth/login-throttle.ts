import { RateLimiterRes } from 'rate-limiter-flexible';
import type { LimiterFactory } from '@chatbot/shared/platform';
import { rateLimited } from '../../http/http-error';

/**
 * Slows password guessing: 5 failures for one email from one address block that pair for 15 minutes, and
 * 100 failures from one address in a day block the address. A success clears the pair's count.
 * (The "consecutive failures by user and IP" scheme from rate-limiter-flexible's documentation.)
 */
export class LoginThrottle {
  private readonly byEmailAndIp;
  private readonly byIp;

  constructor(limiters: LimiterFactory) {
    this.byEmailAndIp = limiters({
      keyPrefix: 'login-fail-email-ip',
      points: 5,
      durationSeconds: 900,
      blockSeconds: 900,
    });
    this.byIp = limiters({
      keyPrefix: 'login-fail-ip',
      points: 100,
      durationSeconds: 86_400,
      blockSeconds: 86_400,
    });
  }

  /** Throws 429 with Retry-After when either key is already blocked. */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const [pair, address] = await Promise.all([this.byEmailAndIp.get(`${email}|${ip}`), this.byIp.get(ip)]);
    const blocked = [pair, address].filter(
      (state): state is RateLimiterRes => state !== null && state.remainingPoints <= 0,
    );
    if (blocked.length)
      throw rateLimited(Math.max(1, ...blocked.map((state) => Math.ceil(state.msBeforeNext / 1000))));
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await Promise.all([
      this.byEmailAndIp.consume(`${email}|${ip}`).catch(ignoreRejection),
      this.byIp.consume(ip).catch(ignoreRejection),
    ]);
  }

  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.byEmailAndIp.delete(`${email}|${ip}`);
  }
}

/** consume() rejects with the limiter state once the limit is reached; that is the expected outcome here. */
function ignoreRejection(reason: unknown) {
  if (!(reason instanceof RateLimiterRes)) throw reason;
}
