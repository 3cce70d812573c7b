import type { AssistantToolCall } from '@chatbot/shared';

/** A figure the assistant looked up, as a line under its answer. */
export interface FigureLine {
  label: string;
  value: string;
}

/** `leads_this_month` → "leads this month", `byStatus` → "by status". */
export const humanise = (name: string) =>
  name
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();

const instant = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

function describe(value: unknown): string {
  if (value === null || value === undefined) return '—';
  // The tools speak UTC (their days and months are UTC's).
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value)) {
    return `${instant.format(new Date(value))} UTC`;
  }
  if (typeof value === 'number') return value.toLocaleString('en-US');
  if (Array.isArray(value)) return value.length === 1 ? '1 item' : `${value.length} items`;
  if (typeof value === 'object') {
    const named = value as Record<string, unknown>;
    // A bot, a user: its name says it.
    if (typeof named['name'] === 'string') return named['name'];
    return Object.entries(named)
      .map(([key, inner]) => `${humanise(key)} ${describe(inner)}`)
      .join(', ');
  }
  return String(value);
}

/** What a tool returned, one line per field, nested figures on one line ("by status: new 1, …"). */
export function figureLines(call: AssistantToolCall): FigureLine[] {
  return Object.entries(call.result).map(([key, value]) => ({
    label: humanise(key),
    value: describe(value),
  }));
}
