import type { EntityManager } from '@mikro-orm/core';
import { WebhookEventNames, type WebhookEventName } from '../../api/webhooks.schema';
import { Webhook } from '../db/entities/webhook.entity';
import { WebhookDelivery } from '../db/entities/webhook-delivery.entity';
import { currentTenantId } from '../db/tenant-context';
import type { JobQueue } from '../queue/job-queue';
import { enqueueDeliveryAttempt } from './delivery-jobs';

export { WebhookEventNames, type WebhookEventName };

/**
 * Publishes `event` to the current tenant's enabled webhooks that subscribe to it: one delivery record
 * each (payload `{ id, event, createdAt, data }`, `id` being the delivery's), and a `webhook.deliver` job
 * each. Call it inside `runInTenant`, once the change the event tells of is made.
 *
 * It flushes `em`, which writes the caller's pending changes along with the deliveries, and enqueues only
 * after that flush, so a job never looks for a delivery that is not stored. Best call it after the
 * caller's transaction: inside `em.transactional` the flush is not committed yet when the job may run,
 * and the job then has to wait for the commit (it looks again on the queue's retries, 1 s then 2 s later;
 * a transaction rolled back sends nothing).
 */
export async function publishWebhookEvent(
  em: EntityManager,
  queue: JobQueue,
  event: WebhookEventName,
  data: Record<string, unknown>,
): Promise<void> {
  // Also refuses a system scope, where the tenant filter would let every tenant's webhooks through.
  const tenantId = currentTenantId();
  // A tenant has a handful of webhooks; their JSON list of events is filtered here rather than in SQL,
  // which each dialect would query differently. They are only read: kept out of the caller's unit of
  // work, its flush has nothing of theirs to write.
  const webhooks = await em.find(Webhook, { enabled: true }, { disableIdentityMap: true });
  const subscribed = webhooks.filter((webhook) => webhook.events.includes(event));
  if (!subscribed.length) return;
  const createdAt = new Date();
  const deliveries = subscribed.map(({ id }) => {
    const webhook = em.getReference(Webhook, id);
    const delivery = em.create(WebhookDelivery, { webhook, event, payload: {}, createdAt });
    delivery.payload = { id: delivery.id, event, createdAt: createdAt.toISOString(), data };
    return delivery;
  });
  await em.flush();
  for (const delivery of deliveries) {
    await enqueueDeliveryAttempt(queue, { tenantId, deliveryId: delivery.id, attempt: 1 });
  }
}
