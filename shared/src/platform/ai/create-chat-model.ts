import type { ChatModel } from './chat-model';
import { OfflineAnswerer } from './offline-answerer';
import { OpenAIChatModel } from './openai-chat-model';

/** What decides a bot's chat model. */
export interface CreateChatModelOptions {
  /** The bot's OpenAI key (or the platform's default); absent, null or blank means "no OpenAI". */
  apiKey?: string | null;
  /** An OpenAI-compatible endpoint instead of api.openai.com. */
  baseURL?: string;
  /** Longest silence from OpenAI before the answer is cut off, in milliseconds (default 20 s). */
  idleTimeoutMs?: number;
}

/**
 * The one offline answerer of the process (it holds no state): what {@link createChatModel} gives a bot
 * without a key, and the fallback to answer with when OpenAI fails.
 */
export const offlineAnswerer = new OfflineAnswerer();

/**
 * OpenAI's chat completions when the bot has a key, otherwise the offline extractive answerer, so that a
 * platform without any key (or without internet) still answers from its documents.
 */
export function createChatModel({ apiKey, baseURL, idleTimeoutMs }: CreateChatModelOptions = {}): ChatModel {
  const key = apiKey?.trim();
  return key ? new OpenAIChatModel({ apiKey: key, baseURL, idleTimeoutMs }) : offlineAnswerer;
}
