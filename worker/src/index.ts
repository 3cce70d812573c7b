import type { AdminServerToClientEvents } from '@chatbot/shared';
import type { AdminEvents, Logger, Platform, PlatformEnv } from '@chatbot/shared/platform';

type DocumentStatusEvent = Parameters<AdminServerToClientEvents['document:status']>[0];
import { crawlSiteJob } from './jobs/crawl-site.job';
import { indexDocumentJob } from './jobs/index-document.job';
import { scheduleRequeueSweep } from './jobs/schedule-requeue-sweep';
import { scheduleRetentionSweep } from './jobs/schedule-retention-sweep';
import { sweepRetentionJob } from './jobs/sweep-retention.job';
import { summarizeLeadJob } from './jobs/summarize-lead.job';
import { deliverWebhookJob } from './jobs/deliver-webhook.job';

export { loadWorkerEnv, type WorkerEnv } from './config/env';
export { detectType, extractDocument, ExtractionError } from './extraction';
export { chunkSections, type ChunkOptions } from './chunking';
export { attemptDelivery, type AttemptDeps } from './webhooks/attempt-delivery';

export interface JobRuntime {
  platform: Platform;
  env: PlatformEnv;
  logger: Logger;
  /** Where dashboards hear about documents: the server's sockets, or Redis from a worker process. */
  adminEvents: AdminEvents;
  /** Tests only: extra addresses URL import may fetch (test pages are served from loopback). */
  allowImportAddress?: (address: string) => boolean;
}

/**
 * Registers every job processor on the platform's queue: the worker process does this, and the server in
 * embedded mode. The jobs get their dependencies from the platform, the same way in both. Resolves once
 * the work left unfinished has been queued again.
 */
export function registerJobs({
  platform,
  env,
  logger,
  adminEvents,
  allowImportAddress,
}: JobRuntime): Promise<void> {
  const deps = {
    orm: platform.orm,
    storage: platform.storage,
    vectors: platform.vectors,
    queue: platform.queue,
    secretBox: platform.secretBox,
    cache: platform.cache,
    logger,
    openai: { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL },
    publishStatus: (tenantId: string, event: DocumentStatusEvent) =>
      adminEvents.publish(tenantId, 'document:status', event),
    fetchLimits: {
      maxBytes: env.URL_IMPORT_MAX_BYTES,
      timeoutMs: env.URL_IMPORT_TIMEOUT_MS,
      allowAddress: allowImportAddress,
    },
  };
  platform.queue.process('document.index', indexDocumentJob(deps), env.WORKER_CONCURRENCY);
  // Crawls are light (a few fetches) and rare; two at a time keep them from crowding out indexing.
  platform.queue.process('site.crawl', crawlSiteJob(deps), Math.min(2, env.WORKER_CONCURRENCY));
  platform.queue.process('retention.sweep', sweepRetentionJob(deps), 1);
  scheduleRetentionSweep(platform, logger);
  platform.queue.process('lead.summarize', summarizeLeadJob(deps), env.WORKER_CONCURRENCY);
  platform.queue.process(
    'webhook.deliver',
    deliverWebhookJob({
      ...deps,
      http: { timeoutMs: env.WEBHOOK_TIMEOUT_MS, allowAddress: allowImportAddress },
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      disableAfterFailures: env.WEBHOOK_DISABLE_AFTER_FAILURES,
      publishDisabled: (tenantId, event) => adminEvents.publish(tenantId, 'webhook:disabled', event),
    }),
    env.WORKER_CONCURRENCY,
  );
  return scheduleRequeueSweep(platform, logger, env.REQUEUE_AFTER_MS);
}
