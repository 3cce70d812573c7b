/** The embedding model and dimension a bot's vectors were made with. */
export interface EmbeddingSpec {
  model: string;
  dimension: number;
}

/**
 * A bot's collection holds vectors from another embedding model or dimension than the caller's. Vectors
 * from different models are not comparable, so the caller must re-index (delete the collection, embed
 * again) rather than mix them.
 */
export class EmbeddingModelMismatchError extends Error {
  override readonly name = 'EmbeddingModelMismatchError';

  constructor(
    readonly botId: string,
    readonly expected: EmbeddingSpec,
    /** What the collection records; fields are undefined if it records nothing usable. */
    readonly actual: Partial<EmbeddingSpec>,
  ) {
    super(
      `Vectors of bot ${botId} were made with ${describe(actual)}, not ${describe(expected)}; re-index the bot`,
    );
  }
}

function describe(spec: Partial<EmbeddingSpec>): string {
  return `model ${spec.model ?? '(unknown)'} (dimension ${spec.dimension ?? '?'})`;
}
