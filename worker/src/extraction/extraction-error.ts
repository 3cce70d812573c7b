/** Why a document could not be turned into text. */
export type ExtractionFailure = 'unsupported_type' | 'empty' | 'encrypted' | 'corrupt' | 'too_large';

/**
 * A document the worker refuses. The message is written for the person who uploaded the file and can be
 * shown as is; the underlying library error, when there is one, is kept as `cause` for the logs.
 */
export class ExtractionError extends Error {
  constructor(
    readonly reason: ExtractionFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExtractionError';
  }
}

/** The list of formats every "we can't read this" message ends with, so users know what to do instead. */
export const ACCEPTED_FORMATS = 'Upload a PDF, Word (.docx), HTML, Markdown or plain-text file instead.';
