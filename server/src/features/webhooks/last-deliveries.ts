import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { WebhookDelivery } from '@chatbot/shared/platform';

/**
 * The newest delivery of each of these webhooks, by webhook id, in one query whatever their number. The
 * subquery only compares deliveries of the row's own webhook, which the tenant filter already scoped.
 */
export async function lastDeliveries(
  em: EntityManager,
  webhookIds: readonly string[],
): Promise<Map<string, WebhookDelivery>> {
  if (!webhookIds.length) return new Map();
  const qb = (em as SqlEntityManager)
    .createQueryBuilder(WebhookDelivery, 'd')
    .where({ webhook: { $in: [...webhookIds] } })
    .andWhere(
      'd.created_at = (select max(newest.created_at) from webhook_deliveries newest where newest.webhook_id = d.webhook_id)',
    )
    .orderBy({ id: 'asc' });
  // A query builder is not filtered by tenant on its own.
  await qb.applyFilters();
  const newest = new Map<string, WebhookDelivery>();
  // Two deliveries made in the same millisecond: either is the last.
  for (const delivery of await qb.getResultList()) {
    if (!newest.has(delivery.webhook.id)) newest.set(delivery.webhook.id, delivery);
  }
  return newest;
}
