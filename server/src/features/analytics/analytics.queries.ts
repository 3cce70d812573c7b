import {
  addUtcDays,
  type AnalyticsQuery,
  type AnalyticsSummary,
  type AnalyticsTimeseries,
} from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { toCsv } from '../../http/csv';
import { botsCovered } from './analytics-bots';
import { addCounters, counterNames, withRatios, zeroCounters } from './analytics-totals';
import { dailyUsageRows, sumUsage } from './usage-rollups';

const rangeOf = (query: AnalyticsQuery) => ({ from: query.from, to: query.to, botId: query.botId ?? null });

/** Totals of the range, and per bot: every bot the query covers, busiest first, idle ones with zeros. */
export async function analyticsSummary(em: EntityManager, query: AnalyticsQuery): Promise<AnalyticsSummary> {
  const bots = await botsCovered(em, query.botId);
  const byBot = await sumUsage(em, query, 'bot');
  const totals = zeroCounters();
  const perBot = bots.map((bot) => {
    const counters = byBot.get(bot.id) ?? zeroCounters();
    addCounters(totals, counters);
    return { botId: bot.id, botName: bot.name, ...withRatios(counters) };
  });
  perBot.sort((a, b) => b.conversations - a.conversations || a.botName.localeCompare(b.botName));
  return { ...rangeOf(query), totals: withRatios(totals), bots: perBot };
}

/** One row per day of the range, oldest first; a day without traffic is a row of zeros, not a gap. */
export async function analyticsTimeseries(
  em: EntityManager,
  query: AnalyticsQuery,
): Promise<AnalyticsTimeseries> {
  await botsCovered(em, query.botId);
  const byDay = await sumUsage(em, query, 'day');
  const days = [];
  for (let day = query.from; day <= query.to; day = addUtcDays(day, 1)) {
    days.push({ day, ...withRatios(byDay.get(day) ?? zeroCounters()) });
  }
  return { ...rangeOf(query), days };
}

const csvHeader = [
  'day',
  'botId',
  'botName',
  ...counterNames,
  'conversionRate',
  'averageMessagesPerConversation',
];

/** The stored daily rows of each bot in the range as CSV, oldest day first, for a spreadsheet. */
export async function analyticsCsv(em: EntityManager, query: AnalyticsQuery): Promise<string> {
  const names = new Map((await botsCovered(em, query.botId)).map((bot) => [bot.id, bot.name]));
  const rows = (await dailyUsageRows(em, query)).map(({ day, botId, counters }) => {
    const totals = withRatios(counters);
    return [
      day,
      botId,
      names.get(botId) ?? '',
      ...counterNames.map((name) => totals[name]),
      totals.conversionRate,
      totals.averageMessagesPerConversation,
    ];
  });
  return toCsv(csvHeader, rows);
}
