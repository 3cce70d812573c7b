import type { RequestHandler } from 'express';
import { MulterError } from 'multer';
import { HttpError } from './http-error';

/**
 * Multer's middleware, with what its form parser raises about a malformed body (no boundary, a form cut
 * short, a broken part header, a client gone mid-upload) answered as the client's 400 it is instead of a
 * 500. Multer's own errors (its limits) go on to the error handler as they are. With memory storage,
 * nothing else can fail in there.
 */
export function formUpload(middleware: RequestHandler): RequestHandler {
  return (req, res, next) =>
    middleware(req, res, (error?: unknown) => {
      if (!error || error instanceof MulterError) return next(error);
      next(new HttpError(400, 'validation_failed', 'The upload is not a valid multipart/form-data body.'));
    });
}
