import type { JobQueue } from '@chatbot/shared/platform';
import { indexDocumentJob, type IndexDocumentDeps } from './jobs/index-document.job';

export { loadWorkerEnv, type WorkerEnv } from './config/env';
export { detectType, ExtractionError } from './extraction';
export type { IndexDocumentDeps } from './jobs/index-document.job';

/** Registers every job processor on a queue: the worker process does this, and the server in embedded mode. */
export function registerJobs(queue: JobQueue, deps: IndexDocumentDeps, concurrency: number): void {
  queue.process('document.index', indexDocumentJob(deps), concurrency);
}
