import type { Logger, Platform } from '@chatbot/shared/platform';
import { repeatUntilClosed } from './repeat-until-closed';
import { requeueStaleWork } from './requeue-stale-work';

/**
 * Sweeps for unfinished work the queue may have lost (requeue-stale-work.ts) at start and then every
 * `staleMs / 2`, in every process that registers jobs; the job ids keep several processes from doubling
 * it. The in-process queue kept nothing across the last stop, so there the first sweep takes everything
 * unfinished. Resolves when the first sweep is done.
 */
export function scheduleRequeueSweep(
  platform: Pick<Platform, 'orm' | 'queue' | 'close'>,
  logger: Logger,
  staleMs: number,
): Promise<void> {
  let running = false;
  const sweep = async (olderThanMs: number) => {
    if (running) return; // a slow sweep (a long outage's backlog) is not overtaken by the next
    running = true;
    try {
      await requeueStaleWork(platform, logger, olderThanMs);
    } catch (error) {
      logger.warn({ err: error }, 'could not look for unfinished work to re-queue');
    } finally {
      running = false;
    }
  };
  const first = sweep(platform.queue.driver === 'in-process' ? 0 : staleMs);
  repeatUntilClosed(platform, staleMs / 2, () => void sweep(staleMs));
  return first;
}
