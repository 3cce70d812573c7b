import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimitRejections, type LimiterFactory } from '@chatbot/shared/platform';
import { rateLimited, type LimitState } from '../../http/http-error';
import type { BotConfig } from '../chat/bot-configs';

/**
 * The plan's limits on what visitors do (start a chat, send a message, leave contact details), on REST and
 * sockets alike: per IP and per bot (each bot's own settings), then the platform's global limit. The IP is
 * checked first, so one abusive visitor spends their own budget, not the bot's. Redis-backed in scaled mode.
 */
export class VisitorLimits {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    private readonly factory: LimiterFactory,
    private readonly globalPerMinute: number,
  ) {}

  /**
   * Spends one request of each limit.
   * @returns the tightest limit's state.
   * @throws HttpError 429 `rate_limited` with Retry-After and RateLimit headers.
   */
  async consume(bot: BotConfig, ip: string): Promise<LimitState> {
    const checks: [string, number, string][] = [
      ['visitor-ip', bot.rateLimits.perIpPerMinute, `${bot.id}:${ip}`],
      ['visitor-bot', bot.rateLimits.perMinute, bot.id],
      ['visitor-global', this.globalPerMinute, 'all'],
    ];
    let tightest: LimitState | null = null;
    for (const [kind, points, key] of checks) {
      const state = await this.spend(kind, points, key);
      if (!tightest || state.remaining < tightest.remaining) tightest = state;
    }
    return tightest!;
  }

  private async spend(kind: string, points: number, key: string): Promise<LimitState> {
    try {
      const result = await this.limiter(kind, points).consume(key);
      return { limit: points, remaining: result.remainingPoints, resetSeconds: seconds(result.msBeforeNext) };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      rateLimitRejections.inc({ limiter: kind });
      const retryAfter = seconds(rejection.msBeforeNext);
      throw rateLimited(retryAfter, points, ' for this chatbot');
    }
  }

  /** A limiter per size: each bot may set its own, and a limiter's size is fixed at creation. */
  private limiter(kind: string, points: number): RateLimiterAbstract {
    const name = `${kind}-${points}`;
    let limiter = this.limiters.get(name);
    if (!limiter) {
      limiter = this.factory({ keyPrefix: name, points, durationSeconds: 60 });
      this.limiters.set(name, limiter);
    }
    return limiter;
  }
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
