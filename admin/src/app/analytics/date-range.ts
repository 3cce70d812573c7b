import { addUtcDays, AnalyticsLimits, utcDayOf, utcDaysBetween } from '@chatbot/shared';

/** A range of UTC days, both ends included, as the analytics API takes it (`YYYY-MM-DD`). */
export interface DayRange {
  from: string;
  to: string;
}

/** The ranges offered in one click, in days up to today. */
export const rangePresets = [7, 30, 90] as const;

/** The last `days` days, today included. */
export function presetRange(days: number, today = utcDayOf()): DayRange {
  return { from: addUtcDays(today, 1 - days), to: today };
}

/** The preset a range is, if it is one (it ends today and spans a preset's days). */
export function presetOf(range: DayRange, today = utcDayOf()): number | null {
  if (range.to !== today) return null;
  return rangePresets.find((days) => utcDaysBetween(range.from, range.to) === days) ?? null;
}

/** A real day as `YYYY-MM-DD` (a date that rolls over, as 02-30, is not one). */
const isDay = (value: string) => {
  const time = Date.parse(`${value}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(time) && utcDayOf(new Date(time)) === value;
};

/** What is wrong with a custom range, in words for the user; null when the API will take it. */
export function rangeProblem(range: DayRange): string | null {
  if (!isDay(range.from) || !isDay(range.to)) return 'Choose both days.';
  if (range.from > range.to) return 'The first day must not be after the last.';
  if (utcDaysBetween(range.from, range.to) > AnalyticsLimits.maxDays) {
    return `Choose at most ${AnalyticsLimits.maxDays} days.`;
  }
  return null;
}

/** The query string of an analytics request: the range, and the bot when one is chosen. */
export function rangeParams(range: DayRange, botId?: string | null): string {
  const params = new URLSearchParams({ from: range.from, to: range.to });
  if (botId) params.set('botId', botId);
  return params.toString();
}

const dayLabel = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "Mar 4" for 2026-03-04 (the API's days are UTC days). */
export const formatDay = (day: string) => dayLabel.format(new Date(`${day}T00:00:00Z`));

/** "Mar 4 – Mar 10, 2026", or "Dec 3, 2025 – Mar 1, 2026" across a new year. */
export function formatRange(range: DayRange): string {
  const [fromYear, toYear] = [range.from.slice(0, 4), range.to.slice(0, 4)];
  const from = fromYear === toYear ? formatDay(range.from) : `${formatDay(range.from)}, ${fromYear}`;
  return `${from} – ${formatDay(range.to)}, ${toYear}`;
}
