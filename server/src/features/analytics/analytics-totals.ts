import type { AnalyticsCounters, AnalyticsTotals } from '@chatbot/shared';

/** The counters of `usage_daily`, by property and column. */
export const counterColumns = {
  conversations: 'conversations',
  messages: 'messages',
  tokensIn: 'tokens_in',
  tokensOut: 'tokens_out',
  costUsd: 'cost_usd',
  leads: 'leads',
  unanswered: 'unanswered',
  handoffs: 'handoffs',
} as const satisfies Record<keyof AnalyticsCounters, string>;

/** The counters' names, in the order the contract lists them (the CSV's columns too). */
export const counterNames = Object.keys(counterColumns) as (keyof AnalyticsCounters)[];

/** Counters of a bot or day without traffic. */
export const zeroCounters = (): AnalyticsCounters => ({
  conversations: 0,
  messages: 0,
  tokensIn: 0,
  tokensOut: 0,
  costUsd: 0,
  leads: 0,
  unanswered: 0,
  handoffs: 0,
});

/** Adds `more` into `sum`, in place. */
export function addCounters(sum: AnalyticsCounters, more: AnalyticsCounters): AnalyticsCounters {
  for (const name of counterNames) sum[name] += more[name];
  return sum;
}

/** The counters with the ratios the dashboard shows, computed at read time (0 without conversations). */
export function withRatios(counters: AnalyticsCounters): AnalyticsTotals {
  const per = (count: number) => (counters.conversations ? count / counters.conversations : 0);
  return {
    ...counters,
    conversionRate: per(counters.leads),
    averageMessagesPerConversation: per(counters.messages),
  };
}
