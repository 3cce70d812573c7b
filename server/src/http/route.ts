import type { FieldError } from '@chatbot/shared';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { validationFailed } from './http-error';
import { findUnsafeText } from './unsafe-text';

interface Schemas<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  body?: B;
  query?: Q;
  params?: P;
  /** The status of a successful answer (else the handler's own, 200 by default); 204 sends no body. */
  status?: number;
}

export interface Input<B, Q, P> {
  body: B;
  query: Q;
  params: P;
}

const noBody = z.union([z.undefined(), z.object({}).strict()], { error: 'this endpoint takes no body' });
const noQuery = z.object({}).strict();
const anyParams = z.object({});

/**
 * Wraps a route handler: validates body, query and params (each against its schema, or as empty when the
 * route takes none), answers 400 with every field error, and sends what the handler returns as JSON.
 */
export function route<
  B extends z.ZodType = typeof noBody,
  Q extends z.ZodType = typeof noQuery,
  P extends z.ZodType = typeof anyParams,
>(
  schemas: Schemas<B, Q, P>,
  handler: (
    input: Input<z.infer<B>, z.infer<Q>, z.infer<P>>,
    req: Request,
    res: Response,
  ) => Promise<unknown>,
): RequestHandler {
  const parts = {
    body: schemas.body ?? noBody,
    query: schemas.query ?? noQuery,
    params: schemas.params ?? anyParams,
  };
  return async (req: Request, res: Response, next: NextFunction) => {
    const fields: FieldError[] = [];
    const input: Record<string, unknown> = {};
    for (const location of ['body', 'query', 'params'] as const) {
      const unsafe = findUnsafeText(req[location]);
      if (unsafe !== null) {
        fields.push({ location, path: unsafe.path || '(value)', message: unsafe.message });
        continue;
      }
      const result = parts[location].safeParse(req[location]);
      if (result.success) input[location] = result.data;
      else fields.push(...result.error.issues.map((issue) => toFieldError(location, issue)));
    }
    if (fields.length) return next(validationFailed(fields));
    const data = await handler(input as unknown as Input<z.infer<B>, z.infer<Q>, z.infer<P>>, req, res);
    // A handler that answered itself (a stream) is done.
    if (res.headersSent) return;
    const status = schemas.status ?? res.statusCode;
    if (status === 204) res.status(204).end();
    else res.status(status).json(data);
  };
}

function toFieldError(location: FieldError['location'], issue: z.core.$ZodIssue): FieldError {
  if (issue.code === 'unrecognized_keys') {
    return { location, path: issue.keys.join(', '), message: 'unknown field' };
  }
  return { location, path: issue.path.map(String).join('.'), message: issue.message };
}
