import type { JobName, JobPayloads } from '../../jobs';

export interface JobContext {
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
  /** True when a failure now is final: the handler records the failure for the user. */
  isFinalAttempt: boolean;
}

export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now (a webhook's next attempt, a daily sweep). */
  delayMs?: number;
  /**
   * An id is used once: enqueueing a job with an id already queued, running or recently completed does
   * nothing, so several nodes can schedule the same daily job (`retention-2026-12-01`) and it runs once.
   * A job that failed for good is run again (with all its attempts) when its id is enqueued again: its
   * work is still to be done. BullMQ refuses ids with a colon.
   */
  jobId?: string;
  /**
   * The work is recorded in the database, and the requeue sweep (worker/src/jobs/requeue-stale-work.ts)
   * queues it again when it is not done in time: a queue out of reach is then logged, not thrown, so the
   * request that recorded it still succeeds.
   */
  recoverable?: boolean;
}

/** The queue cannot take a job now (Redis out of reach); the caller may try again shortly. */
export class QueueUnavailableError extends Error {
  constructor(options: { cause: unknown }) {
    super('the job queue cannot be reached', options);
    this.name = 'QueueUnavailableError';
  }
}

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], context: JobContext) => Promise<void>;

/**
 * Work handed from the API to the job processors. Embedded mode runs it in-process; scaled mode puts it in
 * BullMQ on Redis for any number of worker processes. Job definitions are the same for both.
 */
export interface JobQueue {
  readonly driver: 'in-process' | 'bullmq';
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options?: EnqueueOptions): Promise<void>;
  /** Starts consuming `name` with `handler`, `concurrency` jobs at a time. */
  process<N extends JobName>(name: N, handler: JobHandler<N>, concurrency: number): void;
  /** Jobs waiting, delayed or running, for health and metrics. */
  depth(): Promise<number>;
  /** The same by job name (the queue depth metric). */
  depths(): Promise<Record<JobName, number>>;
  /** Stops taking jobs and waits for the running ones to finish. */
  close(): Promise<void>;
}
