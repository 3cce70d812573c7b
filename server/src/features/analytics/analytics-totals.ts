import type { AnalyticsCounters, AnalyticsTotals } from '@chatbot/shared';
import { usageCounterColumns } from '../conversations/daily-usage';

/** The counters of `usage_daily`, by property and column. */
export const counterColumns = usageCounterColumns satisfies Record<keyof AnalyticsCounters, string>;

/** The counters' names, in the order the contract lists them (the CSV's columns too). */
export const counterNames = Object.keys(counterColumns) as (keyof AnalyticsCounters)[];

/** Counters of a bot or day without traffic. */
export const zeroCounters = (): AnalyticsCounters =>
  Object.fromEntries(counterNames.map((name) => [name, 0])) as unknown as AnalyticsCounters;

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
