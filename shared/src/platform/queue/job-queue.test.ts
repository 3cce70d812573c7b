import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createLogger } from '../logger/logger';
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
  });
}
