import OpenAI from 'openai';
import { EmbeddingError } from './embedder';

/**
 * Translates what the `openai` SDK throws, after its own retries, into an {@link EmbeddingError} whose
 * message a bot owner can act on. The API key never appears in the message (OpenAI's own 401 text
 * quotes part of it, so that text is only kept as `cause`). Anything that is not an SDK error is a bug
 * on our side and is returned untouched.
 */
export function toEmbeddingError(error: unknown, model: string): unknown {
  if (!(error instanceof OpenAI.APIError) || error instanceof OpenAI.APIUserAbortError) return error;
  const cause = { cause: error, status: error.status };

  // Checked before APIConnectionError, which it extends.
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new EmbeddingError(
      'unavailable',
      'OpenAI did not answer in time, even after retrying. Try again later.',
      cause,
    );
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new EmbeddingError(
      'unavailable',
      "Could not connect to OpenAI, even after retrying. Check the server's internet connection, then try again.",
      cause,
    );
  }
  if (error instanceof OpenAI.AuthenticationError) {
    return new EmbeddingError(
      'invalid_key',
      "The OpenAI API key was rejected (401). Check the key in the bot's settings.",
      cause,
    );
  }
  if (error instanceof OpenAI.PermissionDeniedError) {
    return new EmbeddingError(
      'invalid_key',
      `The OpenAI API key may not use the model "${model}" (403). Check the key's project permissions on platform.openai.com.`,
      cause,
    );
  }
  if (error instanceof OpenAI.RateLimitError) {
    // OpenAI answers 429 both for "too fast" and for "no credit left"; only the first passes with time.
    if (error.code === 'insufficient_quota') {
      return new EmbeddingError(
        'rate_limited',
        'The OpenAI account behind this API key has run out of credit (429). Add credit or raise the limit in its billing settings.',
        cause,
      );
    }
    return new EmbeddingError(
      'rate_limited',
      "OpenAI is rate-limiting this API key (429) and retrying did not help. Try again in a few minutes, or raise the key's rate limits.",
      cause,
    );
  }
  if (error instanceof OpenAI.NotFoundError) {
    return new EmbeddingError(
      'bad_request',
      `OpenAI does not know the embedding model "${model}" (404), or this key may not use it.`,
      cause,
    );
  }
  if (error.status !== undefined && error.status >= 500) {
    return new EmbeddingError(
      'unavailable',
      `OpenAI is having problems (${error.status}) and retrying did not help. Try again later.`,
      cause,
    );
  }
  if (error.status === 408 || error.status === 409) {
    return new EmbeddingError(
      'unavailable',
      `OpenAI could not finish the request (${error.status}). Try again later.`,
      cause,
    );
  }
  // 400, 413, 422...: OpenAI's own message says what was wrong with the request and quotes no secret.
  const detail = (error.error as { message?: unknown } | undefined)?.message;
  return new EmbeddingError(
    'bad_request',
    `OpenAI rejected the embedding request (${error.status ?? 'no status'})${typeof detail === 'string' ? `: ${detail}` : '.'}`,
    cause,
  );
}
