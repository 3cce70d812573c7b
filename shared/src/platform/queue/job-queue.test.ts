import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger, runWithLogContext } from '../logger/logger';
import { metricsRegistry } from '../metrics/metrics';
import { parseMetrics, sumSamples } from '../metrics/metric-samples';
import { BullMqQueue } from './bullmq-queue';
import { InProcessQueue } from './in-process-queue';
import type { JobContext, JobQueue } from './job-queue';

const logger = createLogger({ level: 'silent', name: 'test' });
const redisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const drivers: Array<[string, () => JobQueue]> = [
  ['in-process', () => new InProcessQueue(logger, 50)],
  ['bullmq', () => new BullMqQueue(redisUrl(), `test-${randomBytes(6).toString('hex')}`, logger)],
];

function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error('condition not met in time'));
      setTimeout(tick, 20);
    };
    tick();
  });
}

/** A logger whose lines the test reads. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', name: 'test' }, stream) };
}

const scrape = async () => parseMetrics(await metricsRegistry.metrics());

for (const [driver, create] of drivers) {
  describe(`job queue [${driver}]`, () => {
    let queue: JobQueue;
    beforeEach(() => {
      queue = create();
    });
    afterEach(() => queue.close());

    it('runs a delayed job no earlier than its delay', async () => {
      const ranAt: number[] = [];
      queue.process('document.index', async () => void ranAt.push(Date.now()), 2);
      const queuedAt = Date.now();
      await queue.enqueue('document.index', { tenantId: 't', documentId: 'late' }, { delayMs: 400 });
      await waitFor(() => ranAt.length === 1);
      assert.ok(ranAt[0]! - queuedAt >= 380, `ran after ${ranAt[0]! - queuedAt} ms`);
    });

    it('runs a job id once, however many times it is enqueued, even after it has run', async () => {
      const seen: string[] = [];
      queue.process('document.index', async (payload) => void seen.push(payload.documentId), 2);
      await queue.enqueue('document.index', { tenantId: 't', documentId: 'first' }, { jobId: 'daily-1' });
      await queue.enqueue('document.index', { tenantId: 't', documentId: 'second' }, { jobId: 'daily-1' });
      await waitFor(() => seen.length === 1);
      await queue.enqueue('document.index', { tenantId: 't', documentId: 'third' }, { jobId: 'daily-1' });
      await queue.enqueue('document.index', { tenantId: 't', documentId: 'other' }, { jobId: 'daily-2' });
      await waitFor(() => seen.length === 2);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(seen, ['first', 'other']);
    });

    it('runs a job that failed for good again, with all its attempts, when its id is enqueued again', async () => {
      const attempts: number[] = [];
      queue.process(
        'document.index',
        async (_payload, context) => {
          attempts.push(context.attempt);
          if (attempts.length < 4) throw new Error('the database is out of reach');
        },
        1,
      );
      await queue.enqueue('document.index', { tenantId: 't', documentId: 'd' }, { jobId: 'index-d-1' });
      await waitFor(() => attempts.length === 3);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the last failure is recorded
      await queue.enqueue('document.index', { tenantId: 't', documentId: 'd' }, { jobId: 'index-d-1' });
      await waitFor(() => attempts.length === 4);
      await new Promise((resolve) => setTimeout(resolve, 200)); // no further run, nothing left queued
      assert.deepEqual(attempts, [1, 2, 3, 1]);
      assert.equal(await queue.depth(), 0);
    });

    it('runs an enqueued job with its payload', async () => {
      const seen: unknown[] = [];
      queue.process('document.index', async (payload) => void seen.push(payload), 2);
      await queue.enqueue('document.index', { tenantId: 't', documentId: 'd' });
      await waitFor(() => seen.length === 1);
      assert.deepEqual(seen, [{ tenantId: 't', documentId: 'd' }]);
    });

    it('retries a failing job three times in all, telling the handler which attempt is the last', async () => {
      const attempts: Array<Pick<JobContext, 'attempt' | 'isFinalAttempt'>> = [];
      queue.process(
        'document.index',
        async (_payload, context) => {
          attempts.push({ attempt: context.attempt, isFinalAttempt: context.isFinalAttempt });
          throw new Error('boom');
        },
        1,
      );
      await queue.enqueue('document.index', { tenantId: 't', documentId: 'd' });
      await waitFor(() => attempts.length === 3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(attempts, [
        { attempt: 1, isFinalAttempt: false },
        { attempt: 2, isFinalAttempt: false },
        { attempt: 3, isFinalAttempt: true },
      ]);
    });

    it('never runs more jobs at once than its concurrency', async () => {
      let running = 0;
      let peak = 0;
      let done = 0;
      queue.process(
        'document.index',
        async () => {
          peak = Math.max(peak, ++running);
          await new Promise((resolve) => setTimeout(resolve, 50));
          running--;
          done++;
        },
        3,
      );
      for (let i = 0; i < 10; i++)
        await queue.enqueue('document.index', { tenantId: 't', documentId: `d${i}` });
      await waitFor(() => done === 10);
      assert.ok(peak <= 3 && peak >= 2, `peak ${peak}`);
      assert.equal(await queue.depth(), 0);
    });

    it("runs each attempt in a log context of its own: the queueing request's id, the job, its id and attempt", async () => {
      const { lines, logger: jobLogger } = capturingLogger();
      let runs = 0;
      queue.process(
        'document.index',
        async (payload) => {
          jobLogger.info({ documentId: payload.documentId }, 'working');
          if (++runs === 1) throw new Error('first attempt fails');
        },
        1,
      );
      await runWithLogContext({ requestId: 'req-correlated-1', user: 'u1' }, () =>
        queue.enqueue('document.index', { tenantId: 't', documentId: 'd' }, { jobId: `job-${driver}-1` }),
      );
      await queue.enqueue('document.index', { tenantId: 't', documentId: 'unrelated' });
      await waitFor(() => lines.length === 3, 20_000);
      const correlated = lines.filter((line) => line.documentId === 'd');
      const unrelated = lines.find((line) => line.documentId === 'unrelated');
      assert.deepEqual(
        correlated.map((line) => [line!.requestId, line!.job, line!.jobId, line!.attempt, line!.user]),
        [
          ['req-correlated-1', 'document.index', `job-${driver}-1`, 1, undefined],
          ['req-correlated-1', 'document.index', `job-${driver}-1`, 2, undefined],
        ],
      );
      // Queued outside any request: a fresh id, which the jobs it queues would share.
      assert.match(String(unrelated!.requestId), /^[0-9a-f-]{36}$/);
    });

    it('reports its depth by job name, and times and counts the attempts', async () => {
      const before = await scrape();
      queue.process(
        'lead.summarize',
        async (payload) => {
          if (payload.leadId === 'bad') throw new Error('no such lead');
        },
        1,
      );
      await queue.enqueue('document.index', { tenantId: 't', documentId: 'later' }, { delayMs: 60_000 });
      await queue.enqueue('document.index', { tenantId: 't', documentId: 'later-too' }, { delayMs: 60_000 });
      assert.equal((await queue.depths())['document.index'], 2);
      assert.equal(
        sumSamples(await scrape(), 'chatbot_queue_depth', { job_name: 'document.index' }) >= 2,
        true,
      );

      await queue.enqueue('lead.summarize', { tenantId: 't', leadId: 'good' });
      await queue.enqueue('lead.summarize', { tenantId: 't', leadId: 'bad' });
      const counted = (samples: Awaited<ReturnType<typeof scrape>>, outcome: string) =>
        sumSamples(samples, 'chatbot_job_duration_seconds_count', { job_name: 'lead.summarize', outcome });
      const deadline = Date.now() + 20_000;
      let after = await scrape();
      while (counted(after, 'failed') - counted(before, 'failed') < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        after = await scrape();
      }
      assert.equal(counted(after, 'completed') - counted(before, 'completed'), 1);
      assert.equal(counted(after, 'failed') - counted(before, 'failed'), 3);
      const failures = (samples: Awaited<ReturnType<typeof scrape>>, final: string) =>
        sumSamples(samples, 'chatbot_job_failures_total', { job_name: 'lead.summarize', final });
      assert.deepEqual(
        [
          failures(after, 'false') - failures(before, 'false'),
          failures(after, 'true') - failures(before, 'true'),
        ],
        [2, 1],
      );
    });
  });
}
