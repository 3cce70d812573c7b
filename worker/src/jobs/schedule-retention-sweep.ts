import { utcDayOf } from '@chatbot/shared';
import type { Logger, Platform } from '@chatbot/shared/platform';
import { repeatUntilClosed } from './repeat-until-closed';

const hourMs = 60 * 60 * 1000;

/**
 * Has today's `retention.sweep` run once, however many processes register jobs: each one enqueues it under
 * the day's job id (`retention-YYYY-MM-DD`, which the queue runs once) at start and then every hour, so a
 * new day's sweep is queued within the hour after midnight UTC by whichever process gets there first.
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
  repeatUntilClosed(platform, everyMs, enqueue);
}
