import { randomUUID } from 'node:crypto';
import type { JobName, JobPayloads } from '../../jobs';
import { currentRequestId, runInNewLogContext, type Logger } from '../logger/logger';
import { jobDuration, jobFailures } from '../metrics/metrics';
import type { JobContext, JobHandler } from './job-queue';

/**
 * What a queue keeps with a job besides its payload: the correlation id of the request, socket event or
 * job that queued it, so the job's log lines can be found from the request's and the other way round.
 */
export interface JobMeta {
  requestId?: string;
}

/** The meta of a job queued now, from the log context of the code queueing it. */
export function jobMetaNow(): JobMeta {
  const requestId = currentRequestId();
  return requestId ? { requestId } : {};
}

/**
 * Runs one attempt of a job as both drivers do: in a log context of its own (the queueing request's id, or
 * a fresh one that the jobs it queues inherit; the job name, id and attempt), timed, counted when it fails,
 * and logged in one line, as a request is. Rethrows the failure so the driver can retry.
 */
export async function runJobAttempt<N extends JobName>(
  name: N,
  payload: JobPayloads[N],
  context: JobContext,
  meta: JobMeta,
  handler: JobHandler<N>,
  logger: Logger,
): Promise<void> {
  const fields = {
    requestId: meta.requestId ?? randomUUID(),
    job: name,
    jobId: context.jobId,
    attempt: context.attempt,
  };
  await runInNewLogContext(fields, async () => {
    const stopTimer = jobDuration.startTimer({ job_name: name });
    try {
      await handler(payload, context);
      const seconds = stopTimer({ outcome: 'completed' });
      logger.info({ durationMs: Math.round(seconds * 1000) }, 'job completed');
    } catch (error) {
      const seconds = stopTimer({ outcome: 'failed' });
      jobFailures.inc({ job_name: name, final: String(context.isFinalAttempt) });
      logger.warn(
        { err: error, final: context.isFinalAttempt, durationMs: Math.round(seconds * 1000) },
        'job failed',
      );
      throw error;
    }
  });
}
