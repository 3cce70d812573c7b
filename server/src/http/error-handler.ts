import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { ApiErrorBody } from '@chatbot/shared';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { MulterError } from 'multer';
import { HttpError, conflict, notFound } from './http-error';
import { fromUnexpected } from './unexpected-error';

/** Errors body-parser raises for malformed or oversized bodies, which carry their own status. */
function fromBodyParser(error: { type?: string; status?: number }): HttpError | null {
  switch (error.type) {
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', 'The request body is too large.');
    case 'entity.parse.failed':
      return new HttpError(400, 'validation_failed', 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_media_type', 'The request body encoding is not supported.');
    default:
      return error.status && error.status >= 400 && error.status < 500
        ? new HttpError(error.status, 'validation_failed', 'The request could not be read.')
        : null;
  }
}

/** Multer's limits, answered as the client's mistake they are. */
function fromMulter(error: MulterError): HttpError {
  if (error.code === 'LIMIT_FILE_SIZE')
    return new HttpError(413, 'payload_too_large', 'A file is larger than the upload limit.');
  return new HttpError(400, 'validation_failed', `The upload was refused: ${error.message}.`, [
    { location: 'body', path: error.field ?? 'file', message: error.message },
  ]);
}

function toHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  if (error instanceof MulterError) return fromMulter(error);
  if (error instanceof UniqueConstraintViolationException) return conflict('That already exists.');
  if (error instanceof DriverException) return null;
  if (error && typeof error === 'object') return fromBodyParser(error as { type?: string; status?: number });
  return null;
}

/**
 * The one error handler: known errors keep their status and code; anything else is logged with the request
 * id and answered as 503 `unavailable` (the database out of reach) or 500 `internal_error`, with no details.
 */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const http = toHttpError(error) ?? fromUnexpected(error, req.log, 'unhandled error');
  if (res.headersSent) return res.end();
  for (const [name, value] of Object.entries(http.headers ?? {})) res.setHeader(name, value);
  const body: ApiErrorBody = {
    error: { code: http.code, message: http.message, requestId: String(req.id), fields: http.fields },
  };
  res.status(http.status).json(body);
};

export const unknownRoute: RequestHandler = (req, _res, next) =>
  next(notFound(`Route ${req.method} ${req.originalUrl.split('?')[0]}`));
