import { HttpErrorResponse } from '@angular/common/http';
import type { ApiErrorBody } from '@chatbot/shared';

/** A failed request as the dashboard shows it: a sentence, and the server's messages by field path. */
export interface ApiProblem {
  status: number;
  code: string;
  message: string;
  /** `appearance.primaryColor` → "must be a colour such as #2563eb". */
  fields: Record<string, string>;
}

/** Reads the API's error body (`{ error: { code, message, fields } }`) from anything a request threw. */
export function apiProblem(error: unknown): ApiProblem {
  if (!(error instanceof HttpErrorResponse)) {
    return {
      status: 0,
      code: 'client_error',
      message: String((error as Error)?.message ?? error),
      fields: {},
    };
  }
  if (error.status === 0) {
    return {
      status: 0,
      code: 'network',
      message: 'The server cannot be reached. Check your connection.',
      fields: {},
    };
  }
  const body = (error.error as Partial<ApiErrorBody> | null)?.error;
  const fields: Record<string, string> = {};
  for (const field of body?.fields ?? []) fields[field.path] ??= field.message;
  return {
    status: error.status,
    code: body?.code ?? 'http_error',
    message: body?.message ?? `The request failed (${error.status}).`,
    fields,
  };
}

/**
 * The server's messages for a form's own fields, by the first segment of each path (`events.1` is the
 * `events` field); messages for any other path belong to no field and are left out.
 */
export function formFieldErrors<F extends string>(
  problem: ApiProblem,
  names: readonly F[],
): Partial<Record<F, string>> {
  const errors: Partial<Record<F, string>> = {};
  for (const [path, message] of Object.entries(problem.fields)) {
    const name = path.split('.')[0] as F;
    if (names.includes(name)) errors[name] ??= message;
  }
  return errors;
}
