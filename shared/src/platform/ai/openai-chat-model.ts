import type OpenAI from 'openai';
import {
  ChatModelError,
  type ChatCompletion,
  type ChatModel,
  type ChatRequest,
  type ChatTurn,
  type ChatUsage,
} from './chat-model';
import { createOpenAIClient } from './openai-client';
import { toChatModelError } from './openai-errors';
import { RequestGuard } from './openai-request-guard';
import { countTokens } from './tokenizer';

/** Options of {@link OpenAIChatModel}. */
export interface OpenAIChatModelOptions {
  /** The bot owner's key. */
  apiKey: string;
  /** Another OpenAI-compatible endpoint (a proxy, Azure-style gateway, or the test fake). */
  baseURL?: string | undefined;
  /** Retries of a request after 408/409/429/5xx or a network failure (default 3). */
  maxRetries?: number;
  /** Longest silence from OpenAI, before the first chunk or between two, in milliseconds (default 20 s). */
  idleTimeoutMs?: number | undefined;
  /** Longest a whole answer may take, retries included, in milliseconds (default 120 s). */
  totalTimeoutMs?: number | undefined;
}

// OpenAI counts a few tokens of framing per message on top of its content ("<|start|>role...<|end|>").
const TOKENS_PER_MESSAGE = 4;

// The reasoning models (o1, o3, o4-mini, gpt-5 but not gpt-5-chat) refuse `max_tokens`, asking for
// `max_completion_tokens` (which also counts their hidden reasoning), and any temperature but the default.
const REASONING_MODEL = /^(?:o\d|gpt-5)(?!.*-chat)/;

/**
 * Answers with OpenAI's chat completions through the official SDK, streamed: each piece of text goes to
 * `onDelta` as it arrives.
 *
 * Retries are the SDK's (node_modules/openai/src/client.ts, `shouldRetry`/`retryRequest`): it retries
 * 408, 409, 429, every 5xx, and connection failures up to `maxRetries` times, waiting what
 * `retry-after-ms` or `retry-after` asks, else 0.5 s doubling up to 8 s with up to 25% jitter. It only
 * retries before the stream starts; a stream that breaks off is not resumed. {@link RequestGuard} adds
 * what the SDK lacks: a limit on silence once the stream has started, a total deadline, no retries of
 * a spent quota, and an abort that does not wait for the SDK's backoff to end.
 *
 * Usage is OpenAI's own (asked for with `stream_options.include_usage`); an endpoint that does not send
 * it gets an estimate counted with cl100k_base.
 */
export class OpenAIChatModel implements ChatModel {
  readonly provider = 'openai';
  private readonly client: OpenAI;
  private readonly idleTimeoutMs: number;
  private readonly totalTimeoutMs: number;

  constructor({
    apiKey,
    baseURL,
    maxRetries = 3,
    idleTimeoutMs = 20_000,
    totalTimeoutMs = 120_000,
  }: OpenAIChatModelOptions) {
    for (const [name, value] of [
      ['idleTimeoutMs', idleTimeoutMs],
      ['totalTimeoutMs', totalTimeoutMs],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`${name} must be a positive whole number of milliseconds, got ${value}`);
      }
    }
    this.idleTimeoutMs = idleTimeoutMs;
    this.totalTimeoutMs = totalTimeoutMs;
    this.client = createOpenAIClient({ apiKey, baseURL, maxRetries, timeoutMs: totalTimeoutMs });
  }

  async complete(request: ChatRequest, onDelta: (text: string) => void): Promise<ChatCompletion> {
    const guard = new RequestGuard({
      idleMs: this.idleTimeoutMs,
      totalMs: this.totalTimeoutMs,
      signal: request.signal,
    });
    // A client per request, because only its fetch knows this request's guard; connections are still
    // pooled (by Node's global dispatcher).
    const client = this.client.withOptions({ fetch: guard.fetch });
    let content = '';
    let model = request.model;
    let usage: ChatUsage | undefined;
    let finished = false;
    let started = false;
    let delivering = false;
    try {
      const stream = await guard.race(
        client.chat.completions.create(
          {
            model: request.model,
            messages: request.messages,
            stream: true,
            stream_options: { include_usage: true },
            ...samplingParameters(request),
          },
          { signal: guard.signal },
        ),
      );
      started = true;
      for await (const chunk of stream) {
        if (guard.failure) break; // already parsed when the request was cut off: not to be delivered
        guard.touch();
        if (chunk.model) model = chunk.model;
        if (chunk.usage) {
          const { prompt_tokens, completion_tokens } = chunk.usage;
          usage = { promptTokens: prompt_tokens, completionTokens: completion_tokens, source: 'provider' };
        }
        const choice = chunk.choices[0];
        if (choice?.finish_reason) finished = true;
        // A refusal comes instead of content; it is what the model answers, so the visitor sees it.
        const text = choice?.delta.content || choice?.delta.refusal;
        if (text) {
          content += text;
          delivering = true;
          onDelta(text);
          delivering = false;
        }
      }
    } catch (error) {
      if (delivering) throw error; // the caller's own callback failed
      if (guard.failure) throw guard.failure;
      const mapped = toChatModelError(error, request.model);
      if (mapped instanceof ChatModelError || !started) throw mapped;
      // Undici's "terminated" and the like: the connection dropped under the stream.
      const message = 'The connection to OpenAI broke off in the middle of the answer.';
      throw new ChatModelError('unavailable', message, { cause: error });
    } finally {
      guard.dispose();
    }
    // The SDK ends a stream quietly when its request is aborted, as if the answer were complete.
    if (guard.failure) throw guard.failure;
    if (!finished) {
      throw new ChatModelError('unavailable', 'OpenAI stopped in the middle of the answer. Try again later.');
    }
    return { content, model, usage: usage ?? estimateUsage(request.messages, content) };
  }
}

function samplingParameters({ model, temperature, maxTokens }: ChatRequest) {
  if (REASONING_MODEL.test(model)) {
    return maxTokens === undefined ? {} : { max_completion_tokens: maxTokens };
  }
  return { temperature, ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }) };
}

/** What the prompt and the answer would cost, counted here for an endpoint that reported nothing. */
function estimateUsage(messages: ChatTurn[], content: string): ChatUsage {
  const promptTokens = messages.reduce((sum, m) => sum + TOKENS_PER_MESSAGE + countTokens(m.content), 0);
  return { promptTokens, completionTokens: countTokens(content), source: 'estimated' };
}
