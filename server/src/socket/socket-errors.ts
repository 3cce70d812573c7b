import type { ErrorCode } from '@chatbot/shared';
import type { Logger } from '@chatbot/shared/platform';
import { HttpError } from '../http/http-error';
import { fromUnexpected } from '../http/unexpected-error';

/** The `error` of a failed ack or of an `error` event: the REST API's code, message and Retry-After. */
export type SocketError = { code: ErrorCode; message: string; retryAfterSeconds?: number };

/** An error as a socket client is told of it; one that is not the API's own is logged first. */
export function socketErrorOf(error: unknown, logger: Logger, what: string): SocketError {
  const http = error instanceof HttpError ? error : fromUnexpected(error, logger, what);
  const retryAfter = http.headers?.['Retry-After'];
  return {
    code: http.code,
    message: http.message,
    ...(retryAfter ? { retryAfterSeconds: Number(retryAfter) } : {}),
  };
}

/** Handshake refusals carry a stable code in `data`, like the REST API's error bodies. */
export function handshakeError(code: ErrorCode, message: string) {
  return Object.assign(new Error(message), { data: { code } });
}

/** A handshake that failed, refused with the code of its error (`unavailable` while the database is away). */
export function handshakeRefusal(error: unknown, logger: Logger, what: string) {
  const { code, message } = socketErrorOf(error, logger, what);
  return handshakeError(code, message);
}
