import type { JobQueue } from '@chatbot/shared/platform';
import { crawlSiteJob } from './jobs/crawl-site.job';
import { indexDocumentJob, type IndexDocumentDeps } from './jobs/index-document.job';

export { loadWorkerEnv, type WorkerEnv } from './config/env';
export { detectType, ExtractionError } from './extraction';
export type { IndexDocumentDeps } from './jobs/index-document.job';

/** Registers every job processor on a queue: the worker process does this, and the server in embedded mode. */
export function registerJobs(queue: JobQueue, deps: IndexDocumentDeps, concurrency: number): void {
  queue.process('document.index', indexDocumentJob(deps), concurrency);
  // Crawls are light (a few fetches) and rare; two at a time keep them from crowding out indexing.
  queue.process('site.crawl', crawlSiteJob(deps), Math.min(2, concurrency));
}
