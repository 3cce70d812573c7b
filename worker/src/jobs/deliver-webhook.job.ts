import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { JobPayloads } from '@chatbot/shared';
import {
  Webhook,
  WebhookDelivery,
  endFailureStreak,
  enqueueDeliveryAttempt,
  extendFailureStreak,
  runInTenant,
  type JobContext,
  type JobQueue,
  type Logger,
  type SecretBox,
} from '@chatbot/shared/platform';
import { attemptDelivery } from '../webhooks/attempt-delivery';
import { RETRY_WINDOW_MS, retryDelayMs } from '../webhooks/retry-delay';
import type { WebhookHttpOptions } from '../webhooks/send-webhook';

export interface DeliverWebhookDeps {
  orm: MikroORM;
  /** Where the next attempt of a failed delivery is scheduled. */
  queue: JobQueue;
  secretBox: SecretBox;
  logger: Logger;
  http: WebhookHttpOptions;
  retryBaseMs: number;
  /** Failed attempts in a row, over all of a webhook's deliveries, after which it is disabled. */
  disableAfterFailures: number;
  /** Tells the tenant's dashboards that a webhook was disabled. */
  publishDisabled: (tenantId: string, event: { webhookId: string; reason: string }) => void;
}

/**
 * The `webhook.deliver` job: one attempt of one delivery. A 2xx answer settles it; any other outcome is
 * recorded and, within 24 hours of the event, the job schedules the next attempt itself (a new job with a
 * delay), so the queue's own retries are left for the platform's errors (the database, the secret box).
 */
export function deliverWebhookJob(deps: DeliverWebhookDeps) {
  return async (payload: JobPayloads['webhook.deliver'], context: JobContext): Promise<void> =>
    runInTenant(payload.tenantId, async () => {
      const em = deps.orm.em.fork();
      const delivery = await em.findOne(WebhookDelivery, payload.deliveryId);
      if (!delivery) {
        // Published inside a transaction that has not committed yet: the queue's retries look again.
        // On the last attempt it is taken as gone (its webhook was deleted, or the transaction rolled back).
        if (!context.isFinalAttempt) throw new Error(`webhook delivery ${payload.deliveryId} not found yet`);
        return;
      }
      // Already settled: this attempt was queued twice.
      if (delivery.status !== 'pending') return;
      // Read apart from the unit of work: its counters change only through single UPDATEs, never a flush.
      const webhook = await em.findOne(Webhook, delivery.webhook.id, { disableIdentityMap: true });
      if (!webhook?.enabled) {
        return settle(em, delivery, 'failed', 'Not sent: the webhook was disabled before this delivery.');
      }

      const answer = await attemptDelivery(delivery, webhook, deps);
      if (answer.ok) {
        await settle(em, delivery, 'succeeded');
        return endFailureStreak(em, webhook.id);
      }
      const reason = disabledReason(deps.disableAfterFailures, answer.error);
      if (await extendFailureStreak(em, webhook.id, deps.disableAfterFailures, reason)) {
        await settle(em, delivery, 'failed', `${answer.error} The webhook was disabled.`);
        deps.logger.warn(
          { webhookId: webhook.id, tenantId: payload.tenantId, failures: deps.disableAfterFailures },
          'webhook disabled after repeated failures',
        );
        deps.publishDisabled(payload.tenantId, { webhookId: webhook.id, reason });
        return;
      }
      if (Date.now() - delivery.createdAt.getTime() >= RETRY_WINDOW_MS) {
        return settle(em, delivery, 'failed', `${answer.error} No more retries: 24 hours have passed.`);
      }
      const delayMs = retryDelayMs(delivery.attempts, deps.retryBaseMs);
      delivery.nextAttemptAt = new Date(Date.now() + delayMs);
      await em.flush();
      await enqueueDeliveryAttempt(deps.queue, {
        tenantId: payload.tenantId,
        deliveryId: delivery.id,
        attempt: delivery.attempts + 1,
        delayMs,
      });
    });
}

/** Ends the delivery: no further attempt is due. */
async function settle(
  em: EntityManager,
  delivery: WebhookDelivery,
  status: 'succeeded' | 'failed',
  error: string | null = delivery.error,
): Promise<void> {
  Object.assign(delivery, {
    status,
    error,
    nextAttemptAt: null,
    deliveredAt: status === 'succeeded' ? new Date() : null,
  });
  await em.flush();
}

/** What the webhook records and the dashboards are told, within the column's 255 characters. */
function disabledReason(failures: number, lastError: string | null): string {
  return `Disabled after ${failures} failed delivery attempts in a row. The last: ${lastError}`.slice(0, 255);
}
