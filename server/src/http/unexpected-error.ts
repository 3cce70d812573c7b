import { isDatabaseUnreachable, type Logger } from '@chatbot/shared/platform';
import { HttpError } from './http-error';

/** Seconds a client is asked to wait before sending again while the database is out of reach. */
const unavailableRetryAfterSeconds = 3;

/**
 * What a client is told of an error that is not one of the API's own, logged here once: the database out
 * of reach is a 503 `unavailable` with Retry-After (send the same request again; client ids make it safe),
 * logged as a warning; anything else is a 500 `internal_error` without details, logged as an error.
 */
export function fromUnexpected(error: unknown, logger: Logger, what: string): HttpError {
  if (isDatabaseUnreachable(error)) {
    logger.warn({ err: error }, `${what}: the database is unreachable`);
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
