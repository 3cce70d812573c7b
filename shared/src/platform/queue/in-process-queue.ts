import { randomUUID } from 'node:crypto';
import { JobNames, JobRetryPolicy, type JobName, type JobPayloads } from '../../jobs';
import type { Logger } from '../logger/logger';
import { reportQueueDepth } from '../metrics/metrics';
import { jobMetaNow, runJobAttempt, type JobMeta } from './job-run';
import type { EnqueueOptions, JobHandler, JobQueue } from './job-queue';

interface Pending {
  id: string;
  name: JobName;
  payload: JobPayloads[JobName];
  attempt: number;
  meta: JobMeta;
}

/** Job ids remembered (see EnqueueOptions.jobId); the oldest are forgotten past this many. */
const MAX_KEYS = 10_000;

/**
 * The embedded-mode queue: jobs run in this process with the same retry policy as BullMQ (three attempts,
 * exponential backoff). Nothing is persisted: after a crash the platform finds unfinished work in the
 * database (documents left pending or processing) and enqueues it again at start-up.
 */
export class InProcessQueue implements JobQueue {
  readonly driver = 'in-process';
  private readonly handlers = new Map<JobName, { handler: JobHandler<JobName>; concurrency: number }>();
  private readonly waiting: Pending[] = [];
  private readonly running = new Map<JobName, number>();
  private readonly active = new Set<Promise<void>>();
  /** Jobs waiting for their delay or their next attempt. */
  private readonly timers = new Map<NodeJS.Timeout, JobName>();
  /** Ids given to enqueue(), oldest first. */
  private readonly keys = new Set<string>();
  private closed = false;
  private readonly stopReportingDepth: () => void;

  constructor(
    private readonly logger: Logger,
    private readonly backoffMs: number = JobRetryPolicy.backoffMs,
  ) {
    this.stopReportingDepth = reportQueueDepth(() => this.depths());
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions = {},
  ): Promise<void> {
    if (this.closed) throw new Error('the job queue is closed');
    if (options.jobId) {
      if (this.keys.has(options.jobId)) return;
      this.keys.add(options.jobId);
      if (this.keys.size > MAX_KEYS) this.keys.delete(this.keys.values().next().value!);
    }
    const job: Pending = { id: options.jobId ?? randomUUID(), name, payload, attempt: 1, meta: jobMetaNow() };
    if (!options.delayMs) {
      this.waiting.push(job);
      return this.pump();
    }
    this.later(job, options.delayMs);
  }

  process<N extends JobName>(name: N, handler: JobHandler<N>, concurrency: number): void {
    this.handlers.set(name, { handler: handler as JobHandler<JobName>, concurrency });
    this.pump();
  }

  async depth(): Promise<number> {
    return this.waiting.length + this.active.size + this.timers.size;
  }

  async depths(): Promise<Record<JobName, number>> {
    const depths = Object.fromEntries(JobNames.map((name) => [name, 0])) as Record<JobName, number>;
    for (const job of this.waiting) depths[job.name]++;
    for (const [name, running] of this.running) depths[name] += running;
    for (const name of this.timers.values()) depths[name]++;
    return depths;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopReportingDepth();
    for (const timer of this.timers.keys()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.active]);
  }

  private pump() {
    for (let i = 0; i < this.waiting.length && !this.closed;) {
      const job = this.waiting[i]!;
      const registered = this.handlers.get(job.name);
      const running = this.running.get(job.name) ?? 0;
      if (!registered || running >= registered.concurrency) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.running.set(job.name, running + 1);
      const run = this.run(job, registered.handler).finally(() => {
        this.active.delete(run);
        this.running.set(job.name, (this.running.get(job.name) ?? 1) - 1);
        this.pump();
      });
      this.active.add(run);
    }
  }

  private async run(job: Pending, handler: JobHandler<JobName>) {
    const context = {
      jobId: job.id,
      attempt: job.attempt,
      isFinalAttempt: job.attempt >= JobRetryPolicy.attempts,
    };
    try {
      await runJobAttempt(job.name, job.payload, context, job.meta, handler, this.logger);
    } catch {
      // Failed for good: its id may be queued again (the work it had to do is still to be done).
      if (context.isFinalAttempt) this.keys.delete(job.id);
      if (context.isFinalAttempt || this.closed) return;
      this.later({ ...job, attempt: job.attempt + 1 }, this.backoffMs * 2 ** (job.attempt - 1));
    }
  }

  /** Queues `job` after `delayMs`. */
  private later(job: Pending, delayMs: number) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.waiting.push(job);
      this.pump();
    }, delayMs);
    this.timers.set(timer, job.name);
  }
}
