import {
  Document,
  Lead,
  WebhookDelivery,
  enqueueDeliveryAttempt,
  enqueueDocumentIndex,
  enqueueLeadSummary,
  runAsSystem,
  type Logger,
  type Platform,
} from '@chatbot/shared/platform';

/** At most this many records of each kind per sweep, oldest first: a long outage is caught up over a few. */
const BATCH = 500;
/** A document stays `processing` this many times longer than `pending` before it counts as stuck. */
const PROCESSING_FACTOR = 10;

/**
 * Queues again the work the database records but the queue may not hold: documents left `pending` (their
 * job was never queued: Redis was out of reach, or the process stopped first) or `processing` with no
 * progress for much longer (their job was lost with Redis's data), webhook deliveries overdue, and leads
 * never summarised. Only what has waited `staleMs` is taken, and under the job id it was first queued
 * with (see recorded-jobs.ts), so a job the queue still holds is not doubled. A `staleMs` of 0 takes
 * everything, deliveries due later too (with their delay): the embedded queue's start, which kept nothing.
 */
export async function requeueStaleWork(
  platform: Pick<Platform, 'orm' | 'queue'>,
  logger: Logger,
  staleMs: number,
): Promise<void> {
  const now = Date.now();
  /** Before `ms` ago; at any time at all in a sweep that takes everything. */
  const before = (ms: number) => (staleMs > 0 ? { $lt: new Date(now - ms) } : { $ne: null });
  const em = platform.orm.em.fork();
  const [documents, deliveries, leads] = await runAsSystem('requeue stale work', () =>
    Promise.all([
      em.find(
        Document,
        {
          $or: [
            { status: 'pending', updatedAt: before(staleMs) },
            { status: 'processing', updatedAt: before(staleMs * PROCESSING_FACTOR) },
          ],
        },
        { fields: ['id', 'tenant', 'updatedAt'], orderBy: { updatedAt: 'asc' }, limit: BATCH },
      ),
      em.find(
        WebhookDelivery,
        {
          status: 'pending',
          $or: [{ nextAttemptAt: before(staleMs) }, { nextAttemptAt: null, createdAt: before(staleMs) }],
        },
        {
          fields: ['id', 'tenant', 'attempts', 'nextAttemptAt'],
          orderBy: { createdAt: 'asc' },
          limit: BATCH,
        },
      ),
      em.find(
        Lead,
        { summary: null, updatedAt: before(staleMs) },
        { fields: ['id', 'tenant', 'updatedAt'], orderBy: { updatedAt: 'asc' }, limit: BATCH },
      ),
    ]),
  );
  for (const document of documents) await enqueueDocumentIndex(platform.queue, document);
  for (const delivery of deliveries) {
    await enqueueDeliveryAttempt(platform.queue, {
      tenantId: delivery.tenant.id,
      deliveryId: delivery.id,
      attempt: delivery.attempts + 1,
      delayMs: Math.max(0, (delivery.nextAttemptAt?.getTime() ?? now) - now),
    });
  }
  for (const lead of leads) await enqueueLeadSummary(platform.queue, lead, true);
  if (documents.length + deliveries.length + leads.length) {
    logger.info(
      { documents: documents.length, deliveries: deliveries.length, leads: leads.length },
      're-queued unfinished work',
    );
  }
}
