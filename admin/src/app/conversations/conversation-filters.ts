import { ConversationModes, type ConversationMode } from '@chatbot/shared';
import type { ConversationsQuery } from './conversations-api';

/** Rows of the conversation table per page. */
export const PAGE_SIZE = 50;

/** The table's filters, as the page's URL keeps them (so a reload or the back button restores them). */
export interface ConversationFilters {
  /** Started on or after this day, `YYYY-MM-DD` in the user's time zone. */
  from?: string;
  /** Started on or before this day. */
  to?: string;
  botId?: string;
  mode?: ConversationMode;
  waiting?: boolean;
  /** Visitor email or name, or text of a message. */
  q?: string;
  /** 1-based. */
  page: number;
}

const day = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the filters from the URL's query parameters; anything malformed is left out. */
export function readFilters(params: Record<string, string | undefined>): ConversationFilters {
  const page = Number(params['page']);
  const mode = params['mode'] as ConversationMode | undefined;
  return {
    from: params['from'] && day.test(params['from']) ? params['from'] : undefined,
    to: params['to'] && day.test(params['to']) ? params['to'] : undefined,
    botId: params['bot'] || undefined,
    mode: mode && ConversationModes.includes(mode) ? mode : undefined,
    waiting: params['waiting'] === 'true' || undefined,
    q: params['q']?.trim() || undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** The filters as query parameters of the page's URL (`null` removes one). */
export function filtersToUrl(filters: ConversationFilters): Record<string, string | null> {
  return {
    from: filters.from ?? null,
    to: filters.to ?? null,
    bot: filters.botId ?? null,
    mode: filters.mode ?? null,
    waiting: filters.waiting ? 'true' : null,
    q: filters.q ?? null,
    page: filters.page > 1 ? String(filters.page) : null,
  };
}

/** Why the filters cannot be asked for, or null when they can. */
export function filtersProblem(filters: ConversationFilters): string | null {
  if (filters.from && filters.to && filters.from > filters.to) return 'The start date is after the end date.';
  return null;
}

/** The API's query for the filters: whole days from local midnight to the end of the last day. */
export function filtersToQuery(filters: ConversationFilters): ConversationsQuery {
  const query: ConversationsQuery = {
    limit: String(PAGE_SIZE),
    offset: String((filters.page - 1) * PAGE_SIZE),
  };
  if (filters.from) query['from'] = new Date(`${filters.from}T00:00:00`).toISOString();
  if (filters.to) query['to'] = new Date(`${filters.to}T23:59:59.999`).toISOString();
  if (filters.botId) query['botId'] = filters.botId;
  if (filters.mode) query['mode'] = filters.mode;
  if (filters.waiting) query['waiting'] = 'true';
  if (filters.q) query['search'] = filters.q;
  return query;
}

export function hasFilters(filters: ConversationFilters): boolean {
  return Boolean(filters.from || filters.to || filters.botId || filters.mode || filters.waiting || filters.q);
}
