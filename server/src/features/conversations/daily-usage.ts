import { UniqueConstraintViolationException, raw, type EntityManager } from '@mikro-orm/core';
import { UsageDaily } from '@chatbot/shared/platform';

type Counters = Partial<
  Pick<
    UsageDaily,
    'conversations' | 'messages' | 'tokensIn' | 'tokensOut' | 'costUsd' | 'leads' | 'unanswered' | 'handoffs'
  >
>;

/** The counters of `usage_daily`, by property and column (analytics reads them by these too). */
export const usageCounterColumns = {
  conversations: 'conversations',
  messages: 'messages',
  tokensIn: 'tokens_in',
  tokensOut: 'tokens_out',
  costUsd: 'cost_usd',
  leads: 'leads',
  unanswered: 'unanswered',
  handoffs: 'handoffs',
} as const satisfies Record<keyof Counters, string>;

/** Today in UTC, the day of the roll-ups. */
export const usageDay = (date = new Date()) => date.toISOString().slice(0, 10);

/**
 * Adds to a bot's roll-up of today, as one atomic increment (no read-modify-write, so concurrent nodes never
 * lose a count); the day's row is created by the first increment of the day.
 */
export async function addDailyUsage(em: EntityManager, botId: string, counters: Counters): Promise<void> {
  const entries = Object.entries(counters).filter(([, value]) => value) as [keyof Counters, number][];
  if (!entries.length) return;
  const day = usageDay();
  const increment = () =>
    em
      .fork()
      .nativeUpdate(
        UsageDaily,
        { bot: botId, day },
        Object.fromEntries(
          entries.map(([key, value]) => [key, raw(`${usageCounterColumns[key]} + ?`, [value])]),
        ),
      );
  if (await increment()) return;
  try {
    const fork = em.fork();
    fork.create(UsageDaily, { bot: botId, day, ...Object.fromEntries(entries) });
    await fork.flush();
  } catch (error) {
    // Another node created the row first: add to it.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    await increment();
  }
}
