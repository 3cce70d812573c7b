import { Queue, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { JobNames, JobRetryPolicy, type JobName, type JobPayloads } from '../../jobs';
import type { Logger } from '../logger/logger';
import { reportQueueDepth } from '../metrics/metrics';
import { jobMetaNow, runJobAttempt, type JobMeta } from './job-run';
import { closeRedis } from '../redis/redis-connection';
import { QueueUnavailableError, type EnqueueOptions, type JobHandler, type JobQueue } from './job-queue';

/**
 * A job's data in Redis: its payload with the job's meta beside it, under a key no payload uses. Beside
 * rather than around the payload, so a worker of the previous release reads a new job (and the other way
 * round) during a rolling deploy.
 */
type StoredJob<N extends JobName> = JobPayloads[N] & { _meta?: JobMeta };

/** BullMQ needs `maxRetriesPerRequest: null` on its workers' connections: their blocking commands wait. */
const workerOptions: RedisOptions = { maxRetriesPerRequest: null };

/**
 * Producing and counting fail at once while Redis is out of reach (BullMQ's "failing fast" pattern),
 * instead of holding the request that queues a job until Redis returns; a command on a connection that
 * hangs gives up after 5 s.
 */
const producerOptions: RedisOptions = { enableOfflineQueue: false, commandTimeout: 5_000 };

/**
 * The scaled-mode queue: one BullMQ queue per job name on Redis, consumed by any number of worker
 * processes. BullMQ keeps jobs across crashes and re-runs a job whose worker died (stalled-job check).
 */
export class BullMqQueue implements JobQueue {
  readonly driver = 'bullmq';
  private readonly workers: Worker[] = [];
  private readonly connections: Redis[] = [];
  private readonly producer: Redis;
  private readonly queues: Map<JobName, Queue>;
  private readonly stopReportingDepth: () => void;

  constructor(
    private readonly redisUrl: string,
    /** Key prefix of every queue, so deployments and test runs sharing a Redis stay apart. */
    private readonly prefix: string,
    private readonly logger: Logger,
    /** A job whose worker stops renewing its lock for this long is handed to another worker. */
    private readonly stallTimeoutMs = 30_000,
  ) {
    // Every queue now, while Redis is up (the platform has just connected to it): a queue first made
    // while Redis is out of reach would wait for it instead of failing fast. They share one connection:
    // producing and counting need none of their own (workers' connections block).
    this.producer = this.connection(producerOptions);
    this.queues = new Map(
      JobNames.map((name) => {
        const queue = new Queue(name, { connection: this.producer, prefix });
        // The connection's own listener logs an outage once; a queue with none would print it to stderr.
        queue.on('error', () => undefined);
        return [name, queue];
      }),
    );
    this.stopReportingDepth = reportQueueDepth(() => this.depths());
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions = {},
  ): Promise<void> {
    const data: StoredJob<N> = { ...payload, _meta: jobMetaNow() };
    const queue = this.queueOf(name);
    try {
      if (options.jobId && (await queue.getJobState(options.jobId)) === 'failed') {
        return await this.retryFailed(queue, options.jobId);
      }
      await queue.add(name, data, {
        // BullMQ ignores a job whose id it still holds (queued, running, or among the finished it keeps).
        ...(options.jobId ? { jobId: options.jobId } : {}),
        ...(options.delayMs ? { delay: options.delayMs } : {}),
        attempts: JobRetryPolicy.attempts,
        backoff: { type: 'exponential', delay: JobRetryPolicy.backoffMs },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      });
    } catch (error) {
      if (!this.isOutOfReach(error)) throw error;
      if (!options.recoverable) throw new QueueUnavailableError({ cause: error });
      this.logger.warn({ err: error, job: name, payload }, 'job not queued: the requeue sweep will queue it');
    }
  }

  /** Redis is down or not answering, rather than refusing this job (an id with a colon, say). */
  private isOutOfReach(error: unknown): boolean {
    return (
      this.producer.status !== 'ready' || (error instanceof Error && error.message === 'Command timed out')
    );
  }

  /** BullMQ keeps a failed job, and would ignore its id: the job is moved back to waiting instead. */
  private async retryFailed(queue: Queue, jobId: string): Promise<void> {
    const job = await queue.getJob(jobId);
    try {
      await job?.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    } catch (error) {
      // Another node retried it first: it is no longer failed, which is what was asked.
      if ((await queue.getJobState(jobId)) === 'failed') throw error;
    }
  }

  process<N extends JobName>(name: N, handler: JobHandler<N>, concurrency: number): void {
    const worker = new Worker<StoredJob<N>>(
      name,
      async (job) => {
        const { _meta: meta = {}, ...payload } = job.data;
        const attempt = job.attemptsMade + 1;
        const context = { jobId: job.id ?? '', attempt, isFinalAttempt: attempt >= (job.opts.attempts ?? 1) };
        await runJobAttempt(name, payload as JobPayloads[N], context, meta, handler, this.logger);
      },
      {
        connection: this.connection(),
        prefix: this.prefix,
        concurrency,
        lockDuration: this.stallTimeoutMs,
        stalledInterval: this.stallTimeoutMs,
      },
    );
    worker.on('error', (error) => this.logger.error({ err: error, job: name }, 'job worker error'));
    this.workers.push(worker);
  }

  /** Every queue of the platform, for the operators' dashboard (bull-board). */
  allQueues(): Queue[] {
    return JobNames.map((name) => this.queueOf(name));
  }

  async depth(): Promise<number> {
    const depths = await this.depths();
    return Object.values(depths).reduce((sum, count) => sum + count, 0);
  }

  /** Every queue's count, whichever process filled it: the queues live in Redis, shared by all nodes. */
  async depths(): Promise<Record<JobName, number>> {
    const counts = await Promise.all(
      JobNames.map((name) => this.queueOf(name).getJobCountByTypes('waiting', 'active', 'delayed')),
    );
    return Object.fromEntries(JobNames.map((name, i) => [name, counts[i]!])) as Record<JobName, number>;
  }

  async close(): Promise<void> {
    this.stopReportingDepth();
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await Promise.all(this.connections.map(closeRedis));
  }

  private queueOf(name: JobName): Queue {
    return this.queues.get(name)!;
  }

  private connection(options: RedisOptions = workerOptions): Redis {
    const connection = new Redis(this.redisUrl, options);
    connection.on('error', (error) => this.logger.warn({ err: error }, 'queue redis connection error'));
    this.connections.push(connection);
    return connection;
  }
}
