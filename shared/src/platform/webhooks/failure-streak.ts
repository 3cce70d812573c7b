import { raw, type EntityManager } from '@mikro-orm/core';
import { Webhook } from '../db/entities/webhook.entity';

/** A delivery attempt succeeded: the webhook's run of failures is over. */
export async function endFailureStreak(em: EntityManager, webhookId: string): Promise<void> {
  await em.nativeUpdate(
    Webhook,
    { id: webhookId, consecutiveFailures: { $gt: 0 } },
    { consecutiveFailures: 0 },
  );
}

/**
 * Counts one more failed attempt against the webhook and disables it once `limit` failures stand in a
 * row, recording `reason` (at most 255 characters). Both steps are single UPDATEs, so deliveries failing
 * at once on several workers neither lose a count nor disable it twice: true only for the call that
 * disabled it.
 */
export async function extendFailureStreak(
  em: EntityManager,
  webhookId: string,
  limit: number,
  reason: string,
): Promise<boolean> {
  await em.nativeUpdate(Webhook, { id: webhookId }, { consecutiveFailures: raw('consecutive_failures + 1') });
  const disabled = await em.nativeUpdate(
    Webhook,
    { id: webhookId, enabled: true, consecutiveFailures: { $gte: limit } },
    { enabled: false, disabledAt: new Date(), disabledReason: reason },
  );
  return disabled > 0;
}
