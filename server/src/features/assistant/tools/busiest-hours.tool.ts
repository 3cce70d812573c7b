import { raw } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Message, type Dialect } from '@chatbot/shared/platform';
import { z } from 'zod';
import { daysIn } from './periods';
import { botIdArg, botPart, count, forBot, ownBot, plural, defineTool } from './tool';

const hourMs = 3_600_000;

/** The hour of day (0-23, UTC) of a timestamp column, in each dialect's SQL. */
const hourOf: Record<Dialect, (column: string) => string> = {
  // MikroORM keeps SQLite datetimes as milliseconds since the epoch.
  sqlite: (column) => `cast(strftime('%H', ${column} / 1000, 'unixepoch') as integer)`,
  postgresql: (column) => `cast(extract(hour from ${column} at time zone 'UTC') as integer)`,
  mssql: (column) => `datepart(hour, ${column})`,
};

const label = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** Visitors' messages per hour of day (UTC) over the last days: when people chat. */
export const busiestHoursTool = defineTool({
  name: 'busiest_hours',
  label: 'the busiest hours of the day',
  description:
    "Visitors' messages per hour of day (UTC, 0-23) over the last N days (7 by default), busiest first.",
  args: z
    .object({
      days: z.number().int().min(1).max(90).default(7).describe('How many days back to count (1-90).'),
      botId: botIdArg,
    })
    .strict(),
  matches: /\bbusiest\b|\bbusy\b|\bpeak\b|\bper hour\b|\bby hour\b|\bhours? of (?:the )?day\b|\bwhat time\b/i,
  argsFrom: (question, now) => {
    const days = daysIn(question, now);
    return days && days <= 90 ? { days } : {};
  },
  async run({ em, dialect, now }, { days, botId }) {
    const bot = await ownBot(em, botId);
    const since = new Date(now.getTime() - days * 24 * hourMs);
    const hour = hourOf[dialect]('m.created_at');
    const qb = (em as SqlEntityManager)
      .createQueryBuilder(Message, 'm')
      .select([raw(hour).as('hour'), raw('count(*)').as('messages')])
      .where({
        role: 'visitor',
        createdAt: { $gte: since },
        ...(bot ? { conversation: { bot: bot.id } } : {}),
      })
      .groupBy(raw(hour));
    // A query builder is not filtered by tenant on its own: this adds the tenant condition.
    await qb.applyFilters();
    const rows = (await qb.execute('all')) as { hour: number | string; messages: number | string }[];
    const byHour = Array.from({ length: 24 }, () => 0);
    for (const row of rows) byHour[Number(row.hour)] = Number(row.messages);
    const busiest = byHour
      .map((messages, hourOfDay) => ({ hour: hourOfDay, messages }))
      .filter((entry) => entry.messages > 0)
      .sort((a, b) => b.messages - a.messages || a.hour - b.hour)
      .slice(0, 3);
    return {
      days,
      since: since.toISOString(),
      timeZone: 'UTC',
      total: byHour.reduce((sum, n) => sum + n, 0),
      byHour,
      busiest,
      ...botPart(bot),
    };
  },
  summarize(result) {
    const busiest = result.busiest as { hour: number; messages: number }[];
    const span = `Over the last ${plural(result.days, 'day')}${forBot(result)}`;
    if (busiest.length === 0) return `${span}, visitors sent no message.`;
    const [top, ...rest] = busiest;
    const others = rest.map((entry) => `${label(entry.hour)} (${count(entry.messages)})`);
    return (
      `${span}, the busiest hour was ${label(top!.hour)}-${label((top!.hour + 1) % 24)} UTC with ` +
      `${plural(top!.messages, "visitor's message", "visitors' messages")}` +
      `${others.length ? `, then ${others.join(' and ')}` : ''}.`
    );
  },
});
