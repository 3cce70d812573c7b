import { ProviderError } from './provider-error';

/** One message of a chat prompt, in OpenAI's roles. */
export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A numbered passage of the bot's documents that the answer may cite as `[index]`. */
export interface ContextPassage {
  index: number;
  title: string;
  /** The section it comes from, as "Guide > Installation". */
  heading?: string;
  text: string;
}

/**
 * What to answer. A model reads `messages`; the offline answerer cannot follow instructions, so it reads
 * `question` and `context` instead: callers fill both, from the same retrieval.
 */
export interface ChatRequest {
  /** e.g. `gpt-4o-mini`; the offline answerer ignores it. */
  model: string;
  temperature: number;
  /** Cap on the answer's tokens; the model's own limit when absent. */
  maxTokens?: number;
  /** The full prompt: the system message with the context, the history, then the question. */
  messages: ChatTurn[];
  /** The visitor's question, for the offline answerer. */
  question: string;
  /** The passages of the system message, structured, for the offline answerer. */
  context: ContextPassage[];
  /**
   * For the offline answerer: how much a word of the question (as `searchTerms` gives it) says, e.g. its
   * rarity in the bot's documents; `termSalience` alone when absent.
   */
  termWeight?: (term: string) => number;
  /** Aborts the answer (the conversation was taken over by a person, the server shuts down). */
  signal?: AbortSignal;
}

/** Tokens an answer cost. */
export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  /** `provider` when the API reported the counts, `estimated` when they were counted here with tiktoken. */
  source: 'provider' | 'estimated';
}

/** A finished answer. */
export interface ChatCompletion {
  /** The whole answer: the deltas joined. */
  content: string;
  usage: ChatUsage;
  /** The model that answered, as the provider names it (often a dated variant of the requested one). */
  model: string;
}

/** Something that answers a visitor: OpenAI (or a compatible endpoint), or the offline extractive answerer. */
export interface ChatModel {
  readonly provider: 'openai' | 'offline';
  /**
   * Streams the answer: `onDelta` gets each piece of text in order, and the promise resolves with the
   * whole answer. On failure it rejects with a {@link ChatModelError}, also after some deltas were sent:
   * the caller keeps (or discards) the partial text.
   */
  complete(request: ChatRequest, onDelta: (text: string) => void): Promise<ChatCompletion>;
}

/** Why an answer failed, coarse enough for the caller to pick a fallback and the admin UI a hint. */
export type ChatModelErrorReason =
  'invalid_key' | 'quota_exceeded' | 'rate_limited' | 'unavailable' | 'timeout' | 'bad_request' | 'aborted';

/**
 * A failed answer with a message written for the bot's admin, never containing the API key. The
 * provider's own error, if any, is kept as `cause` for the logs.
 */
export class ChatModelError extends ProviderError<ChatModelErrorReason> {
  override readonly name = 'ChatModelError';

  /** The error for an answer that its caller (or the SDK on its behalf) stopped. */
  static aborted(cause?: unknown): ChatModelError {
    return new ChatModelError('aborted', 'The answer was stopped before it was finished.', { cause });
  }

  /** Whether asking again later may succeed: a bad key, no credit or a rejected request will not fix itself. */
  override get retryable(): boolean {
    return this.reason === 'rate_limited' || this.reason === 'unavailable' || this.reason === 'timeout';
  }
}
