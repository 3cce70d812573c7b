/**
 * Stable error codes of the public API and the socket acks. Clients branch on `code`, never on `message`.
 */
export const ErrorCodes = [
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'token_expired',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'unavailable',
  'internal_error',
] as const;

export type ErrorCode = (typeof ErrorCodes)[number];

/** One invalid field of a request: `path` is dotted (`appearance.primaryColor`), `location` says where it was. */
export interface FieldError {
  location: 'body' | 'query' | 'params';
  path: string;
  message: string;
}

/** The body of every error answer of the REST API. */
export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    requestId?: string;
    fields?: FieldError[];
  };
}
