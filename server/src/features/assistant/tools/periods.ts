/**
 * Days and periods, all in UTC: the usage roll-ups are kept per UTC day, so every figure the assistant
 * gives counts days the same way.
 */

const dayMs = 86_400_000;

/** `YYYY-MM-DD` of a date, in UTC. */
export const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** Midnight UTC of the date's day. */
export const startOfDay = (date: Date) => new Date(`${dayOf(date)}T00:00:00.000Z`);

/** Midnight UTC of the first day of the date's month. */
export const startOfMonth = (date: Date) => new Date(`${dayOf(date).slice(0, 7)}-01T00:00:00.000Z`);

/** The day `days` days before the date's (0 is the same day). */
export const daysBefore = (date: Date, days: number) =>
  dayOf(new Date(startOfDay(date).getTime() - days * dayMs));

/** Days from `from` to `to`, both counted. */
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs) + 1;

/** A span of whole UTC days, both ends included. */
export interface Period {
  from: string;
  to: string;
}

/**
 * The period a question names, for the offline assistant: "today", "yesterday", "this week" (the last 7
 * days), "this month", "last month", "this year", "the last N days"; undefined when it names none.
 */
export function periodIn(question: string, now: Date): Period | undefined {
  const text = question.toLowerCase();
  const today = dayOf(now);
  const lastDays = /\b(?:last|past|previous)\s+(\d{1,3})\s+days?\b/.exec(text);
  if (lastDays) return { from: daysBefore(now, Math.max(1, Number(lastDays[1])) - 1), to: today };
  if (/\btoday\b/.test(text)) return { from: today, to: today };
  if (/\byesterday\b/.test(text)) return { from: daysBefore(now, 1), to: daysBefore(now, 1) };
  if (/\b(?:this|last|past)\s+week\b/.test(text)) return { from: daysBefore(now, 6), to: today };
  if (/\blast\s+month\b/.test(text)) {
    const firstOfThisMonth = startOfMonth(now);
    const lastOfPrevious = new Date(firstOfThisMonth.getTime() - dayMs);
    return { from: dayOf(startOfMonth(lastOfPrevious)), to: dayOf(lastOfPrevious) };
  }
  if (/\bthis\s+month\b/.test(text)) return { from: dayOf(startOfMonth(now)), to: today };
  if (/\bthis\s+year\b/.test(text)) return { from: `${today.slice(0, 4)}-01-01`, to: today };
  return undefined;
}

/** The number of days back a question names ("last 14 days", "this week"), for the tools that take one. */
export function daysIn(question: string, now: Date): number | undefined {
  const period = periodIn(question, now);
  return period && period.to === dayOf(now) ? daysBetween(period.from, period.to) : undefined;
}
