import { isDatabaseUnreachable, QueueUnavailableError, type Logger } from '@chatbot/shared/platform';
import { HttpError } from './http-error';

/** Seconds a client is asked to wait before sending again while the database or the queue is out of reach. */
const unavailableRetryAfterSeconds = 3;

/**
 * What a client is told of an error that is not one of the API's own, logged here once: the database or
 * the job queue out of reach is a 503 `unavailable` with Retry-After (send the same request again; client
 * ids make it safe), logged as a warning; anything else is a 500 `internal_error` without details, logged
 * as an error.
 */
export function fromUnexpected(error: unknown, logger: Logger, what: string): HttpError {
  const outOfReach = isDatabaseUnreachable(error)
    ? 'the database'
    : error instanceof QueueUnavailableError
      ? 'the job queue'
      : undefined;
  if (outOfReach) {
    logger.warn({ err: error }, `${what}: ${outOfReach} is unreachable`);
    return new HttpError(
      503,
      'unavailable',
      `The service is briefly unavailable. Try again in ${unavailableRetryAfterSeconds} s.`,
      undefined,
      { 'Retry-After': String(unavailableRetryAfterSeconds) },
    );
  }
  logger.error({ err: error }, what);
  return new HttpError(500, 'internal_error', 'Something went wrong on our side.');
}
