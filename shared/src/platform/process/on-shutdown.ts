import { z } from 'zod';
import type { Logger } from '../logger/logger';

/**
 * `SHUTDOWN_TIMEOUT_MS`: how long a process may take to stop after SIGTERM or SIGINT before it is forced
 * out. Set it below the supervisor's own grace period (Docker's `stop_grace_period`, Kubernetes'
 * `terminationGracePeriodSeconds`), which ends with SIGKILL.
 */
export const shutdownTimeoutMs = z.coerce.number().int().min(0).max(120_000).default(10_000);

export interface ShutdownOptions {
  /** Past this, counted from the first signal, the process exits with status 1 whatever is left. */
  timeoutMs: number;
}

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits 0 (1 if stopping failed). A second signal, or
 * `timeoutMs` without `stop` settling, exits 1 at once: an operator pressing Ctrl+C twice, or a job that
 * will not end, must not keep the process up until the supervisor kills it. What was cut off is recovered
 * as after a crash (BullMQ re-runs a job whose lock lapses; embedded mode re-queues unfinished documents
 * at start-up). Register it before printing that the process is ready: a supervisor that reads that
 * line may signal at once.
 */
export function onShutdownSignal(logger: Logger, stop: () => Promise<void>, options: ShutdownOptions): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without finishing the shutdown');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, timeoutMs: options.timeoutMs }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs: options.timeoutMs }, 'shutdown timed out: exiting without finishing it');
      process.exit(1);
    }, options.timeoutMs);
    stop().then(
      () => {
        logger.info('shut down');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, onSignal);
}
