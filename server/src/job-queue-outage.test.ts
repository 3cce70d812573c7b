import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { BullMqQueue, QueueUnavailableError, createLogger } from '@chatbot/shared/platform';
import { startFaultProxy, targetOf, throughProxy, type FaultProxy } from './testing/fault-proxy';

const redisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Tries `attempt` every 100 ms until it says done, failing with `what` after 15 s. */
async function eventually(what: string, attempt: () => Promise<boolean> | boolean): Promise<void> {
  for (const deadline = Date.now() + 15_000; !(await attempt());) {
    assert.ok(Date.now() < deadline, what);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The scaled-mode queue with Redis out of reach (the real Redis behind a fault proxy; here rather than in
 * shared, where the proxy lives): queueing fails at once instead of holding the request that queues, says
 * so with a typed error, or for recorded work logs and returns; once Redis is back, jobs run again.
 */
describe('the job queue with Redis out of reach [bullmq]', function () {
  this.timeout(30_000);
  let proxy: FaultProxy;
  let queue: BullMqQueue;
  const lines: Record<string, unknown>[] = [];

  before(async () => {
    proxy = await startFaultProxy(targetOf(redisUrl()));
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const logger = createLogger({ level: 'warn', name: 'test' }, stream);
    queue = new BullMqQueue(
      throughProxy(redisUrl(), proxy),
      `test-${randomBytes(6).toString('hex')}`,
      logger,
    );
    // Up before the outage, as the platform's queue is (it starts only once Redis answers).
    assert.equal(await queue.depth(), 0);
  });
  after(async () => {
    proxy.up();
    await queue?.close();
    await proxy?.stop();
  });

  it('refuses a job at once with QueueUnavailableError, and logs a recoverable one instead', async () => {
    proxy.down();
    await new Promise((resolve) => setTimeout(resolve, 100)); // the reset reaches the client
    const started = performance.now();
    await assert.rejects(
      queue.enqueue('site.crawl', {
        tenantId: 't',
        botId: 'b',
        url: 'https://example.com/',
        mode: 'links',
        maxPages: 5,
        depth: 1,
      }),
      QueueUnavailableError,
    );
    await queue.enqueue('document.index', { tenantId: 't', documentId: 'd' }, { recoverable: true });
    const tookMs = performance.now() - started;
    assert.ok(tookMs < 1000, `took ${Math.round(tookMs)} ms`);
    const warning = lines.find((line) => line.msg === 'job not queued: the requeue sweep will queue it');
    assert.deepEqual(warning?.payload, { tenantId: 't', documentId: 'd' });
  });

  it('does not take a job the queue refuses for itself for an outage, recoverable or not', async () => {
    proxy.up();
    await eventually('Redis never came back', () =>
      queue.depth().then(
        () => true,
        () => false,
      ),
    );
    for (const recoverable of [false, true]) {
      await assert.rejects(
        queue.enqueue('document.index', { tenantId: 't', documentId: 'd' }, { jobId: 'a:b', recoverable }),
        (error: Error) => !(error instanceof QueueUnavailableError) && /:/.test(error.message),
      );
    }
  });

  it('queues and runs jobs again once Redis is back, without being made anew', async () => {
    proxy.down();
    proxy.up();
    const ran: string[] = [];
    queue.process('document.index', async (payload) => void ran.push(payload.documentId), 1);
    // Refused (QueueUnavailableError) until the queue's connection is back, then queued.
    await eventually('the queue never took the job', () =>
      queue.enqueue('document.index', { tenantId: 't', documentId: 'after' }).then(
        () => true,
        (error: unknown) => (assert.ok(error instanceof QueueUnavailableError, String(error)), false),
      ),
    );
    await eventually('the job never ran', () => ran.includes('after'));
    assert.deepEqual(ran, ['after'], 'the job refused during the outage was not queued behind its back');
  });
});
