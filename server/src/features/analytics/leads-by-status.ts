import {
  LeadStatuses,
  type AnalyticsQuery,
  type LeadStatus,
  type LeadsByStatusResponse,
} from '@chatbot/shared';
import { raw, type EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Lead, currentTenantId } from '@chatbot/shared/platform';
import { botsCovered } from './analytics-bots';
import { dayBounds } from './day-bounds';

/**
 * The leads captured in the range, counted by their status now, in one grouped query. Read from the leads
 * themselves, not the roll-ups: a status changes after the day it was captured on.
 */
export async function leadsByStatus(
  em: EntityManager,
  query: AnalyticsQuery,
): Promise<LeadsByStatusResponse> {
  await botsCovered(em, query.botId);
  const qb = (em as SqlEntityManager)
    .createQueryBuilder(Lead, 'l')
    .select([raw('l.status').as('status'), raw('count(*)').as('n')])
    .where({
      tenant: currentTenantId(),
      createdAt: dayBounds(query),
      ...(query.botId ? { bot: query.botId } : {}),
    })
    .groupBy(raw('l.status'));
  await qb.applyFilters();
  const rows = (await qb.execute('all', false)) as unknown as { status: string; n: string | number }[];
  const byStatus = Object.fromEntries(LeadStatuses.map((status) => [status, 0])) as Record<
    LeadStatus,
    number
  >;
  // PostgreSQL returns counts as strings.
  for (const row of rows) byStatus[row.status as LeadStatus] = Number(row.n);
  const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
  return { from: query.from, to: query.to, botId: query.botId ?? null, total, byStatus };
}
