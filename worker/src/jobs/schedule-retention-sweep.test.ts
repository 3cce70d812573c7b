import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { utcDayOf, type JobPayloads } from '@chatbot/shared';
import { BullMqQueue, InProcessQueue, createLogger, type JobQueue } from '@chatbot/shared/platform';
import { scheduleRetentionSweep } from './schedule-retention-sweep';

const logger = createLogger({ level: 'silent', name: 'test' });
const redisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A process's platform as far as the scheduler sees it: its queue, and close(). */
const node = (queue: JobQueue) => ({ queue, close: () => queue.close() });

describe('retention sweep schedule', () => {
  it('queues the day once however many nodes schedule it, hour after hour (BullMQ shared by two nodes)', async () => {
    const prefix = `test-${randomBytes(6).toString('hex')}`;
    const nodes = [
      node(new BullMqQueue(redisUrl(), prefix, logger)),
      node(new BullMqQueue(redisUrl(), prefix, logger)),
    ];
    const runs: JobPayloads['retention.sweep'][] = [];
    try {
      for (const { queue } of nodes)
        queue.process('retention.sweep', async (payload) => void runs.push(payload), 1);
      // Every 30 ms instead of every hour: each node queues the same day many times over.
      for (const platform of nodes) scheduleRetentionSweep(platform, logger, 30);
      await pause(1000);
      assert.deepEqual(runs, [{ day: utcDayOf() }]);
    } finally {
      await Promise.all(nodes.map((platform) => platform.close()));
    }
  });

  it('stops queueing when the platform closes', async () => {
    const queue = new InProcessQueue(logger);
    const platform = node(queue);
    let enqueued = 0;
    const enqueue = queue.enqueue.bind(queue);
    queue.enqueue = (...args) => (enqueued++, enqueue(...args));
    scheduleRetentionSweep(platform, logger, 10);
    await pause(100);
    assert.ok(enqueued >= 3, `queued ${enqueued} times`);
    await platform.close();
    const atClose = enqueued;
    await pause(100);
    assert.equal(enqueued, atClose);
  });
});
