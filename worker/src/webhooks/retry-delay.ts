/** Retries never wait longer than this, however many came before. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/** A delivery is retried for this long after its event; then it has failed for good. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The wait before the next attempt, once `failedAttempts` have failed: the base, doubled for each earlier
 * failure, capped, then less up to a fifth at random, so that deliveries failing together (an endpoint's
 * outage) do not all come back at the same moment. Below the cap, each wait is longer than the one before.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, random = Math.random): number {
  const exponential = Math.min(baseMs * 2 ** Math.max(0, failedAttempts - 1), MAX_RETRY_DELAY_MS);
  return Math.round(exponential * (1 - 0.2 * random()));
}
