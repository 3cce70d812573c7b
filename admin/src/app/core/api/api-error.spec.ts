import { HttpErrorResponse } from '@angular/common/http';
import { apiProblem, formFieldErrors } from './api-error';

describe('apiProblem', () => {
  it('reads the code, message and field errors of an API error body', () => {
    const error = new HttpErrorResponse({
      status: 400,
      error: {
        error: {
          code: 'validation_failed',
          message: 'The request is not valid: see fields.',
          fields: [{ location: 'body', path: 'appearance.primaryColor', message: 'must be a colour' }],
        },
      },
    });
    expect(apiProblem(error)).toEqual({
      status: 400,
      code: 'validation_failed',
      message: 'The request is not valid: see fields.',
      fields: { 'appearance.primaryColor': 'must be a colour' },
    });
  });

  it('says the server cannot be reached when the request never got an answer', () => {
    expect(apiProblem(new HttpErrorResponse({ status: 0 })).code).toBe('network');
  });
});

describe('formFieldErrors', () => {
  it('keeps the first message of each of the form’s fields, by the first segment of the path', () => {
    const problem = {
      status: 400,
      code: 'validation_failed',
      message: 'The request is not valid: see fields.',
      fields: { 'events.1': 'unknown event', events: 'second message', url: 'must be public', other: 'x' },
    };
    expect(formFieldErrors(problem, ['url', 'events', 'description'])).toEqual({
      events: 'unknown event',
      url: 'must be public',
    });
  });
});
