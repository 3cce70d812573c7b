import type { AnalyticsCounters, AnalyticsQuery } from '@chatbot/shared';
import { raw, type EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { UsageDaily, currentTenantId } from '@chatbot/shared/platform';
import { counterColumns, counterNames, zeroCounters } from './analytics-totals';

type Row = Record<string, string | number | null>;

/**
 * Integer counters are summed as bigint: a year of one busy bot's tokens passes the 32-bit integer SQL
 * Server's SUM of an int returns. (`cast(… as bigint)` means the same on SQLite, PostgreSQL and SQL Server.)
 */
const sumOf = (column: string) =>
  column === 'cost_usd' ? `sum(u.${column})` : `sum(cast(u.${column} as bigint))`;

/** The tenant's roll-ups of the range (days compare as `YYYY-MM-DD` text), of one bot when asked. */
function usageInRange(em: EntityManager, query: AnalyticsQuery) {
  return (em as SqlEntityManager).createQueryBuilder(UsageDaily, 'u').where({
    // The query builder is filtered by applyFilters(); the tenant is named here too, so the query says
    // what it reads on its own.
    tenant: currentTenantId(),
    day: { $gte: query.from, $lte: query.to },
    ...(query.botId ? { bot: query.botId } : {}),
  });
}

/** PostgreSQL returns bigint sums as strings. */
function countersOf(row: Row): AnalyticsCounters {
  const counters = zeroCounters();
  for (const name of counterNames) counters[name] = Number(row[name] ?? 0);
  return counters;
}

/** The range's counters summed per bot (`bot`) or per day (`day`), in one grouped query. */
export async function sumUsage(
  em: EntityManager,
  query: AnalyticsQuery,
  by: 'bot' | 'day',
): Promise<Map<string, AnalyticsCounters>> {
  const key = by === 'bot' ? 'u.bot_id' : 'u.day';
  const qb = usageInRange(em, query)
    .select([
      raw(key).as('groupKey'),
      ...counterNames.map((name) => raw(sumOf(counterColumns[name])).as(name)),
    ])
    .groupBy(raw(key));
  await qb.applyFilters();
  const rows = (await qb.execute('all', false)) as unknown as Row[];
  return new Map(rows.map((row) => [String(row.groupKey), countersOf(row)]));
}

/** One bot's roll-up of one day, as stored. */
export interface DailyUsageRow {
  day: string;
  botId: string;
  counters: AnalyticsCounters;
}

/** The range's stored roll-ups, one per bot and day with traffic, oldest day first. */
export async function dailyUsageRows(em: EntityManager, query: AnalyticsQuery): Promise<DailyUsageRow[]> {
  const qb = usageInRange(em, query)
    .select([
      raw('u.day').as('day'),
      raw('u.bot_id').as('botId'),
      ...counterNames.map((name) => raw(`u.${counterColumns[name]}`).as(name)),
    ])
    .orderBy({ day: 'asc', bot: 'asc' });
  await qb.applyFilters();
  const rows = (await qb.execute('all', false)) as unknown as Row[];
  return rows.map((row) => ({ day: String(row.day), botId: String(row.botId), counters: countersOf(row) }));
}
