import type { Embedder } from './embedder';
import { OfflineEmbedder } from './offline-embedder';
import { OpenAIEmbedder } from './openai-embedder';

/** What decides a bot's embedder. */
export interface CreateEmbedderOptions {
  /** The bot's OpenAI key; absent, null or blank means "no OpenAI". */
  apiKey?: string | null;
  /** An OpenAI-compatible endpoint instead of api.openai.com. */
  baseURL?: string;
}

/**
 * OpenAI's `text-embedding-3-small` when the bot has a key, otherwise the offline embedder, so that a
 * platform without any key (or without internet) still answers from its documents. The two produce
 * incompatible vectors: compare `model` and `dimension` with those of the stored index.
 */
export function createEmbedder({ apiKey, baseURL }: CreateEmbedderOptions = {}): Embedder {
  const key = apiKey?.trim();
  return key ? new OpenAIEmbedder({ apiKey: key, baseURL }) : new OfflineEmbedder();
}
