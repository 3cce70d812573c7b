import type { JobQueue } from '../queue/job-queue';

/**
 * Queues attempt `attempt` (from 1) of a webhook delivery, after `delayMs`. The job id names the attempt,
 * so scheduling the same attempt twice (a retried job, the requeue sweep) runs it once. The delivery is
 * recorded, so a queue out of reach leaves the attempt to the sweep.
 */
export function enqueueDeliveryAttempt(
  queue: JobQueue,
  attempt: { tenantId: string; deliveryId: string; attempt: number; delayMs?: number },
): Promise<void> {
  return queue.enqueue(
    'webhook.deliver',
    { tenantId: attempt.tenantId, deliveryId: attempt.deliveryId },
    {
      jobId: `webhook-${attempt.deliveryId}-${attempt.attempt}`,
      delayMs: attempt.delayMs,
      recoverable: true,
    },
  );
}
