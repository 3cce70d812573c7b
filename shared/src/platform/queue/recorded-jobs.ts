import type { Document } from '../db/entities/document.entity';
import type { Lead } from '../db/entities/lead.entity';
import type { JobQueue } from './job-queue';

/**
 * Jobs for work the database records, queued under an id that names the record as it was last written:
 * the requeue sweep queues the same id again, which the queue ignores while it still holds that job, so
 * only a job that was never queued (or was lost with Redis) runs again.
 */
function recordedJobId(kind: string, record: { id: string; updatedAt: Date }): string {
  return `${kind}-${record.id}-${record.updatedAt.getTime()}`;
}

/** Indexes a document just set `pending` (or found stuck); call after the flush that wrote it. */
export function enqueueDocumentIndex(
  queue: JobQueue,
  document: Pick<Document, 'id' | 'updatedAt' | 'tenant'>,
): Promise<void> {
  return queue.enqueue(
    'document.index',
    { tenantId: document.tenant.id, documentId: document.id },
    { jobId: recordedJobId('index', document), recoverable: true },
  );
}

/**
 * Summarises and scores a lead; call after the flush that wrote it. Its first summary (`first`) is queued
 * under the id the sweep uses for a lead left without one, so the two never both run; a merge is
 * summarised again every time (the chat has gone on since), under no id.
 */
export function enqueueLeadSummary(
  queue: JobQueue,
  lead: Pick<Lead, 'id' | 'updatedAt' | 'tenant'>,
  first: boolean,
): Promise<void> {
  return queue.enqueue(
    'lead.summarize',
    { tenantId: lead.tenant.id, leadId: lead.id },
    { recoverable: true, ...(first ? { jobId: recordedJobId('summary', lead) } : {}) },
  );
}
