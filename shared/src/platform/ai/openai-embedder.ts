import type OpenAI from 'openai';
import { EmbeddingError, type Embedder } from './embedder';
import { createOpenAIClient } from './openai-client';
import { toEmbeddingError } from './openai-errors';

/** Options of {@link OpenAIEmbedder}. */
export interface OpenAIEmbedderOptions {
  /** The bot owner's key. */
  apiKey: string;
  /** Another OpenAI-compatible endpoint (a proxy, Azure-style gateway, or the test fake). */
  baseURL?: string;
  /** Default `text-embedding-3-small`. */
  model?: string;
  /** Length of the vectors; `text-embedding-3-*` can shorten theirs (default 1536). */
  dimension?: number;
  /** Retries of a request after 408/409/429/5xx or a network failure (default 3). */
  maxRetries?: number;
  /** Per attempt, in milliseconds (default 60 s). */
  timeoutMs?: number;
  /** Inputs per request, at most 2048 (OpenAI's limit); default 100. */
  batchSize?: number;
}

// OpenAI refuses more inputs than this in one request.
const MAX_BATCH = 2048;

/**
 * Embeds with OpenAI through the official SDK, a batch of inputs per request, one request at a time
 * (a bot's key has a rate limit, and indexing is not latency-bound).
 *
 * Retries are the SDK's (node_modules/openai/src/client.ts, `shouldRetry`/`retryRequest`): it retries
 * 408, 409, 429, every 5xx, timeouts and connection failures up to `maxRetries` times, waiting what
 * `retry-after-ms` or `retry-after` (seconds or an HTTP date) asks, else 0.5 s doubling up to 8 s with up
 * to 25% jitter. A loop of our own around it would only multiply the attempts.
 *
 * Blank texts are not sent - OpenAI answers 400 "'$.input' is invalid" when a list contains an empty
 * string - and get the zero vector, as in {@link OfflineEmbedder}.
 */
export class OpenAIEmbedder implements Embedder {
  readonly model: string;
  readonly dimension: number;
  private readonly client: OpenAI;
  private readonly batchSize: number;

  constructor({
    apiKey,
    baseURL,
    model = 'text-embedding-3-small',
    dimension = 1536,
    maxRetries = 3,
    timeoutMs = 60_000,
    batchSize = 100,
  }: OpenAIEmbedderOptions) {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
      throw new RangeError(`batchSize must be an integer from 1 to ${MAX_BATCH}, got ${batchSize}`);
    }
    this.model = model;
    this.dimension = dimension;
    this.batchSize = batchSize;
    this.client = createOpenAIClient({ apiKey, baseURL, maxRetries, timeoutMs });
  }

  async embed(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = new Array(texts.length);
    const sent: number[] = []; // positions in `texts` of what goes to OpenAI
    texts.forEach((text, i) => {
      if (text.trim() === '') vectors[i] = new Array<number>(this.dimension).fill(0);
      else sent.push(i);
    });
    for (let start = 0; start < sent.length; start += this.batchSize) {
      const positions = sent.slice(start, start + this.batchSize);
      const batch = await this.request(positions.map((i) => texts[i]!));
      positions.forEach((position, k) => (vectors[position] = batch[k]!));
    }
    return vectors;
  }

  /** One request; the vectors in the order of `input`. */
  private async request(input: string[]): Promise<number[][]> {
    let response: OpenAI.CreateEmbeddingResponse;
    try {
      response = await this.client.embeddings.create({
        model: this.model,
        input,
        // Only the v3 models can shorten their vectors; older ones reject the parameter.
        ...(this.model.startsWith('text-embedding-3') ? { dimensions: this.dimension } : {}),
      });
    } catch (error) {
      throw toEmbeddingError(error, this.model);
    }

    // OpenAI documents `index` as the position in the input; order the answer by it, not by arrival.
    const vectors: (number[] | undefined)[] = new Array(input.length);
    for (const item of response.data) {
      if (!Number.isInteger(item.index) || item.index < 0 || item.index >= input.length) {
        throw malformed(`an embedding with index ${item.index} for ${input.length} inputs`);
      }
      if (item.embedding.length !== this.dimension) {
        throw new EmbeddingError(
          'bad_request',
          `The model "${this.model}" returned vectors of ${item.embedding.length} numbers, but this bot ` +
            `expects ${this.dimension}. Check the embedding model and dimension in the settings.`,
        );
      }
      vectors[item.index] = item.embedding;
    }
    const missing = vectors.findIndex((vector) => vector === undefined);
    if (missing !== -1) {
      throw malformed(`no embedding for input ${missing}`);
    }
    return vectors as number[][];
  }
}

function malformed(detail: string): EmbeddingError {
  return new EmbeddingError('unavailable', `OpenAI sent an incomplete answer (${detail}). Try again later.`);
}
