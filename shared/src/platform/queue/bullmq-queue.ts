import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { JobNames, JobRetryPolicy, type JobName, type JobPayloads } from '../../jobs';
import type { Logger } from '../logger/logger';
import type { EnqueueOptions, JobHandler, JobQueue } from './job-queue';

/**
 * The scaled-mode queue: one BullMQ queue per job name on Redis, consumed by any number of worker
 * processes. BullMQ keeps jobs across crashes and re-runs a job whose worker died (stalled-job check).
 */
export class BullMqQueue implements JobQueue {
  readonly driver = 'bullmq';
  private readonly queues = new Map<JobName, Queue>();
  private readonly workers: Worker[] = [];
  private readonly connections: Redis[] = [];

  constructor(
    private readonly redisUrl: string,
    /** Key prefix of every queue, so deployments and test runs sharing a Redis stay apart. */
    private readonly prefix: string,
    private readonly logger: Logger,
    /** A job whose worker stops renewing its lock for this long is handed to another worker. */
    private readonly stallTimeoutMs = 30_000,
  ) {}

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions = {},
  ): Promise<void> {
    await this.queueOf(name).add(name, payload, {
      // BullMQ ignores a job whose id it still holds (queued, running, or among the finished it keeps).
      ...(options.jobId ? { jobId: options.jobId } : {}),
      ...(options.delayMs ? { delay: options.delayMs } : {}),
      attempts: JobRetryPolicy.attempts,
      backoff: { type: 'exponential', delay: JobRetryPolicy.backoffMs },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    });
  }

  process<N extends JobName>(name: N, handler: JobHandler<N>, concurrency: number): void {
    const worker = new Worker<JobPayloads[N]>(
      name,
      async (job) => {
        const attempt = job.attemptsMade + 1;
        await handler(job.data, {
          jobId: job.id ?? '',
          attempt,
          isFinalAttempt: attempt >= (job.opts.attempts ?? 1),
        });
      },
      {
        connection: this.connection(),
        prefix: this.prefix,
        concurrency,
        lockDuration: this.stallTimeoutMs,
        stalledInterval: this.stallTimeoutMs,
      },
    );
    worker.on('failed', (job, error) =>
      this.logger.warn({ err: error, job: name, jobId: job?.id, attempt: job?.attemptsMade }, 'job failed'),
    );
    worker.on('error', (error) => this.logger.error({ err: error, job: name }, 'job worker error'));
    this.workers.push(worker);
  }

  /** Every queue of the platform, for the operators' dashboard (bull-board). */
  allQueues(): Queue[] {
    return JobNames.map((name) => this.queueOf(name));
  }

  async depth(): Promise<number> {
    const counts = await Promise.all(
      [...this.queues.values()].map((queue) => queue.getJobCountByTypes('waiting', 'active', 'delayed')),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await Promise.all(
      this.connections.map((connection) => connection.quit().catch(() => connection.disconnect())),
    );
  }

  private queueOf(name: JobName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection(), prefix: this.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** BullMQ needs `maxRetriesPerRequest: null` on its connections: its blocking commands wait indefinitely. */
  private connection(): Redis {
    const connection = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', (error) => this.logger.warn({ err: error }, 'queue redis connection error'));
    this.connections.push(connection);
    return connection;
  }
}
