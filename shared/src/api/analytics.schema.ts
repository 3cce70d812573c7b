import { z } from 'zod';
import { idSchema } from './common.schema';
import type { LeadStatus } from './leads.schema';

export const AnalyticsLimits = {
  /** Days a range covers when it names neither end (today included). */
  defaultDays: 30,
  /** The longest range, in days: a leap year. */
  maxDays: 366,
  /** Unanswered questions listed by default, and at most. */
  unansweredDefault: 20,
  unansweredMax: 100,
} as const;

const dayMs = 24 * 60 * 60 * 1000;

/** The UTC day (`YYYY-MM-DD`) of a date: the day of the usage roll-ups. */
export const utcDayOf = (date = new Date()) => date.toISOString().slice(0, 10);

/** The day `days` after (or before, when negative) a `YYYY-MM-DD` day. */
export const addUtcDays = (day: string, days: number) =>
  utcDayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * dayMs));

/** Days from `from` to `to`, both included. */
export const utcDaysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs) + 1;

const daySchema = z.iso.date({ message: 'must be a date as YYYY-MM-DD' });

const rangeFields = {
  /** First day, UTC, included; by default `defaultDays` before `to`. */
  from: daySchema.optional(),
  /** Last day, UTC, included; today by default. */
  to: daySchema.optional(),
  botId: idSchema.optional(),
};

/** Fills in the range's defaults and checks it: `from` not after `to`, at most `maxDays` days. */
function resolveRange<T extends { from?: string; to?: string }>(
  query: T,
  ctx: z.RefinementCtx,
): T & { from: string; to: string } {
  const to = query.to ?? utcDayOf();
  const from = query.from ?? addUtcDays(to, 1 - AnalyticsLimits.defaultDays);
  if (from > to) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
  } else if (utcDaysBetween(from, to) > AnalyticsLimits.maxDays) {
    ctx.addIssue({
      code: 'custom',
      path: ['from'],
      message: `the range must be at most ${AnalyticsLimits.maxDays} days`,
    });
  }
  return { ...query, from, to };
}

/** `GET /api/analytics/summary`, `/timeseries` and `/export.csv`: a range of UTC days, one bot or all. */
export const analyticsQuerySchema = z.object(rangeFields).strict().transform(resolveRange);
export type AnalyticsQuery = z.output<typeof analyticsQuerySchema>;

/** `GET /api/analytics/unanswered`. */
export const unansweredQuestionsQuerySchema = z
  .object({
    ...rangeFields,
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(AnalyticsLimits.unansweredMax)
      .default(AnalyticsLimits.unansweredDefault),
  })
  .strict()
  .transform(resolveRange);
export type UnansweredQuestionsQuery = z.output<typeof unansweredQuestionsQuerySchema>;

/** The counters of the daily roll-ups (`usage_daily`), summed. */
export interface AnalyticsCounters {
  conversations: number;
  messages: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  leads: number;
  /** Questions the documents did not answer. */
  unanswered: number;
  /** Requests for a person. */
  handoffs: number;
}

/** Counters with the ratios computed from them (0 when there were no conversations). */
export interface AnalyticsTotals extends AnalyticsCounters {
  /** leads / conversations. */
  conversionRate: number;
  /** messages / conversations. */
  averageMessagesPerConversation: number;
}

/** One bot's figures. */
export interface BotAnalytics extends AnalyticsTotals {
  botId: string;
  botName: string;
}

/** The range as the server resolved it, and the bot it was narrowed to. */
interface AnalyticsRange {
  from: string;
  to: string;
  botId: string | null;
}

/** `GET /api/analytics/summary`. */
export interface AnalyticsSummary extends AnalyticsRange {
  totals: AnalyticsTotals;
  /** Every bot of the tenant (or the one asked for), busiest first, with zeros when it had no traffic. */
  bots: BotAnalytics[];
}

/** One day's figures, summed over the bots covered. */
export interface AnalyticsDay extends AnalyticsTotals {
  day: string;
}

/** `GET /api/analytics/timeseries`. */
export interface AnalyticsTimeseries extends AnalyticsRange {
  /** One row per day of the range, oldest first, with zeros for days without traffic. */
  days: AnalyticsDay[];
}

/** A question the documents did not answer, asked `count` times (as the same normalised text). */
export interface UnansweredQuestion {
  /** As the visitor typed it the last time (trimmed). */
  question: string;
  /** Lowercased, trimmed, runs of whitespace as one space: what questions are grouped by. */
  normalized: string;
  count: number;
  lastAskedAt: string;
  botId: string;
  botName: string;
}

/** `GET /api/analytics/unanswered`. */
export interface UnansweredQuestionsResponse extends AnalyticsRange {
  /** Most asked first, then most recently asked. */
  questions: UnansweredQuestion[];
}

/**
 * `GET /api/analytics/leads` (same query as the summary): the leads captured in the range, counted by the
 * status each has now (where the sales pipeline stands for that period's leads).
 */
export interface LeadsByStatusResponse extends AnalyticsRange {
  total: number;
  byStatus: Record<LeadStatus, number>;
}
