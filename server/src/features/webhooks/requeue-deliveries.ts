import {
  WebhookDelivery,
  enqueueDeliveryAttempt,
  runAsSystem,
  type Logger,
  type Platform,
} from '@chatbot/shared/platform';

/**
 * The in-process queue keeps nothing across a restart, but pending deliveries are in the database: each
 * is scheduled again for when its next attempt was due (at once when that has passed).
 */
export async function requeuePendingDeliveries(platform: Platform, logger: Logger): Promise<void> {
  const pending = await runAsSystem('requeue pending webhook deliveries', () =>
    platform.orm.em
      .fork()
      .find(
        WebhookDelivery,
        { status: 'pending' },
        { fields: ['id', 'tenant', 'attempts', 'nextAttemptAt'] },
      ),
  );
  const now = Date.now();
  for (const delivery of pending) {
    await enqueueDeliveryAttempt(platform.queue, {
      tenantId: delivery.tenant.id,
      deliveryId: delivery.id,
      attempt: delivery.attempts + 1,
      delayMs: Math.max(0, (delivery.nextAttemptAt?.getTime() ?? now) - now),
    });
  }
  if (pending.length) logger.info({ deliveries: pending.length }, 're-queued pending webhook deliveries');
}
