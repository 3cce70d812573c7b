import { utcDayOf } from '@chatbot/shared';
import type { Logger, Platform } from '@chatbot/shared/platform';

const hourMs = 60 * 60 * 1000;

/**
 * Has today's `retention.sweep` run once, however many processes register jobs: each one enqueues it under
 * the day's job id (`retention-YYYY-MM-DD`, which the queue runs once) at start and then every hour, so a
 * new day's sweep is queued within the hour after midnight UTC by whichever process gets there first.
 * The timer stops when the platform closes (a server's stop, a worker's shutdown, a test's stop()), and
 * never keeps a process alive on its own.
 */
export function scheduleRetentionSweep(
  platform: Pick<Platform, 'queue' | 'close'>,
  logger: Logger,
  everyMs = hourMs,
): void {
  const enqueue = () => {
    const day = utcDayOf();
    platform.queue
      .enqueue('retention.sweep', { day }, { jobId: `retention-${day}` })
      .catch((error: unknown) => logger.warn({ err: error, day }, 'could not queue the retention sweep'));
  };
  enqueue();
  const timer = setInterval(enqueue, everyMs);
  timer.unref();
  // Every process that registers jobs closes its platform when it stops: hooking close() clears the
  // timer there, without each of them having to remember it.
  const close = platform.close.bind(platform);
  platform.close = async () => {
    clearInterval(timer);
    await close();
  };
}
