import { ProviderError } from './provider-error';

/**
 * Turns texts into vectors for similarity search. Every vector an embedder returns has `dimension`
 * entries; vectors from different `model`s live in different spaces and must never be compared, so a bot
 * that switches embedder has to re-index its documents.
 */
export interface Embedder {
  /** Identifies the vector space, e.g. `text-embedding-3-small` or `offline-hash-v1`. */
  readonly model: string;
  /** Length of every returned vector. */
  readonly dimension: number;
  /** One vector per text, in the order of `texts`. An empty list gives an empty list. */
  embed(texts: string[]): Promise<number[][]>;
}

/** Why embedding failed, coarse enough for the UI to pick a hint and for the worker to decide on a retry. */
export type EmbeddingErrorReason = 'invalid_key' | 'rate_limited' | 'unavailable' | 'bad_request';

/**
 * An embedding failure with a message written for the bot's owner (it is shown in the admin UI), never
 * containing the API key. The provider's own error, if any, is kept as `cause` for the logs.
 */
export class EmbeddingError extends ProviderError<EmbeddingErrorReason> {
  override readonly name = 'EmbeddingError';

  /** Whether trying again later may succeed: a bad key or a rejected request will not fix itself. */
  override get retryable(): boolean {
    return this.reason === 'rate_limited' || this.reason === 'unavailable';
  }
}
