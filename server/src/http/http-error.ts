import type { ErrorCode, FieldError } from '@chatbot/shared';

/** An error the client caused or may act on; anything else is answered as a 500 without details. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const validationFailed = (fields: FieldError[]) =>
  new HttpError(400, 'validation_failed', 'The request is not valid: see fields.', fields);

export const unauthenticated = (message = 'Sign in to continue.') =>
  new HttpError(401, 'unauthenticated', message);

export const invalidCredentials = () =>
  new HttpError(401, 'invalid_credentials', 'The email or password is not correct.');

export const forbidden = (message = 'Your role does not allow this.') =>
  new HttpError(403, 'forbidden', message);

/** The same answer whether the record does not exist or belongs to another tenant. */
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found.`);

export const conflict = (message: string) => new HttpError(409, 'conflict', message);

/** Where a limit stands after a request, for the RateLimit headers. */
export interface LimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** The headers of the IETF RateLimit draft (the form most clients and proxies read). */
export function rateLimitHeaders(state: LimitState): Record<string, string> {
  return {
    'RateLimit-Limit': String(state.limit),
    'RateLimit-Remaining': String(state.remaining),
    'RateLimit-Reset': String(state.resetSeconds),
  };
}

/** A 429 with Retry-After and, given the size of the limit that refused it, the RateLimit headers. */
export const rateLimited = (retryAfterSeconds: number, limit?: number, what = '') =>
  new HttpError(
    429,
    'rate_limited',
    `Too many requests${what}. Try again in ${retryAfterSeconds} s.`,
    undefined,
    {
      'Retry-After': String(retryAfterSeconds),
      ...(limit && rateLimitHeaders({ limit, remaining: 0, resetSeconds: retryAfterSeconds })),
    },
  );
