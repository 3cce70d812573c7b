import OpenAI, { type APIError } from 'openai';
import { ChatModelError, type ChatModelErrorReason } from './chat-model';
import { EmbeddingError } from './embedder';

/** What an OpenAI failure means, whatever was asked: a reason, and a message a bot owner can act on. */
interface OpenAIFailure {
  reason: Exclude<ChatModelErrorReason, 'aborted'>;
  message: string;
}

/**
 * Translates what the `openai` SDK throws, after its own retries, into an {@link EmbeddingError} whose
 * message a bot owner can act on. The API key never appears in the message (OpenAI's own 401 text
 * quotes part of it, so that text is only kept as `cause`). Anything that is not an SDK error is a bug
 * on our side and is returned untouched.
 */
export function toEmbeddingError(error: unknown, model: string): unknown {
  if (!(error instanceof OpenAI.APIError) || error instanceof OpenAI.APIUserAbortError) return error;
  const { reason, message } = describeOpenAIError(error, model, 'embedding');
  // Indexing has no use for the finer reasons: it tries again later either way.
  const coarse = reason === 'quota_exceeded' ? 'rate_limited' : reason === 'timeout' ? 'unavailable' : reason;
  return new EmbeddingError(coarse, message, { cause: error, status: error.status });
}

/**
 * The same translation into a {@link ChatModelError}: running out of credit and timing out keep reasons
 * of their own (a chat falls back at once rather than retry later), and an abort the SDK reports becomes
 * `aborted`. Anything that is not an SDK error is returned untouched.
 */
export function toChatModelError(error: unknown, model: string): unknown {
  if (error instanceof OpenAI.APIUserAbortError) {
    return ChatModelError.aborted(error);
  }
  if (!(error instanceof OpenAI.APIError)) return error;
  const { reason, message } = describeOpenAIError(error, model, 'chat');
  return new ChatModelError(reason, message, { cause: error, status: error.status });
}

function describeOpenAIError(error: APIError, model: string, kind: 'embedding' | 'chat'): OpenAIFailure {
  // Checked before APIConnectionError, which it extends.
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return {
      reason: 'timeout',
      message: 'OpenAI did not answer in time, even after retrying. Try again later.',
    };
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return {
      reason: 'unavailable',
      message:
        "Could not connect to OpenAI, even after retrying. Check the server's internet connection, then try again.",
    };
  }
  if (error instanceof OpenAI.AuthenticationError) {
    return {
      reason: 'invalid_key',
      message: "The OpenAI API key was rejected (401). Check the key in the bot's settings.",
    };
  }
  if (error instanceof OpenAI.PermissionDeniedError) {
    return {
      reason: 'invalid_key',
      message: `The OpenAI API key may not use the model "${model}" (403). Check the key's project permissions on platform.openai.com.`,
    };
  }
  if (error instanceof OpenAI.RateLimitError) {
    // OpenAI answers 429 both for "too fast" and for "no credit left"; only the first passes with time.
    if (error.code === 'insufficient_quota') {
      return {
        reason: 'quota_exceeded',
        message:
          'The OpenAI account behind this API key has run out of credit (429). Add credit or raise the limit in its billing settings.',
      };
    }
    return {
      reason: 'rate_limited',
      message:
        "OpenAI is rate-limiting this API key (429) and retrying did not help. Try again in a few minutes, or raise the key's rate limits.",
    };
  }
  if (error instanceof OpenAI.NotFoundError) {
    return {
      reason: 'bad_request',
      message: `OpenAI does not know the ${kind} model "${model}" (404), or this key may not use it.`,
    };
  }
  if (error.status !== undefined && error.status >= 500) {
    return {
      reason: 'unavailable',
      message: `OpenAI is having problems (${error.status}) and retrying did not help. Try again later.`,
    };
  }
  if (error.status === 408 || error.status === 409) {
    return {
      reason: 'unavailable',
      message: `OpenAI could not finish the request (${error.status}). Try again later.`,
    };
  }
  const detail = (error.error as { message?: unknown } | undefined)?.message;
  if (error.status === undefined) {
    // An error event inside a stream that had started well: the provider gave up half-way.
    return {
      reason: 'unavailable',
      message: `OpenAI stopped in the middle of the answer${typeof detail === 'string' ? `: ${detail}` : '.'} Try again later.`,
    };
  }
  // 400, 413, 422...: OpenAI's own message says what was wrong with the request and quotes no secret.
  return {
    reason: 'bad_request',
    message: `OpenAI rejected the ${kind} request (${error.status})${typeof detail === 'string' ? `: ${detail}` : '.'}`,
  };
}
