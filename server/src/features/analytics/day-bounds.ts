import { addUtcDays } from '@chatbot/shared';

/** A range of UTC days as instants: from the start of `from` (included) to the start of the day after `to`. */
export function dayBounds(range: { from: string; to: string }): { $gte: Date; $lt: Date } {
  return {
    $gte: new Date(`${range.from}T00:00:00.000Z`),
    $lt: new Date(`${addUtcDays(range.to, 1)}T00:00:00.000Z`),
  };
}
