import type { Platform } from '@chatbot/shared/platform';

/**
 * Runs `task` every `everyMs` until the platform closes (a server's stop, a worker's shutdown, a test's
 * stop()); the timer never keeps a process alive on its own.
 */
export function repeatUntilClosed(
  platform: Pick<Platform, 'close'>,
  everyMs: number,
  task: () => void,
): void {
  const timer = setInterval(task, everyMs);
  timer.unref();
  // Every process that registers jobs closes its platform when it stops: hooking close() clears the
  // timer there, without each of them having to remember it.
  const close = platform.close.bind(platform);
  platform.close = async () => {
    clearInterval(timer);
    await close();
  };
}
