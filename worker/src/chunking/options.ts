import type { ChunkOptions } from './types';

/** The product defaults: chunks of 500–1,000 tokens with 100 tokens of overlap. */
export const DEFAULT_CHUNK_OPTIONS: Readonly<ChunkOptions> = Object.freeze({
  minTokens: 500,
  maxTokens: 1000,
  overlapTokens: 100,
});

/**
 * Fills unset options from the defaults (an explicit `undefined` counts as unset, as per-bot settings often
 * carry them) and checks that the result can be packed.
 * @throws RangeError when a value is not a whole number, minTokens or maxTokens is below 1, overlapTokens is
 *   negative, minTokens exceeds maxTokens, or overlapTokens is not below minTokens
 */
export function resolveChunkOptions(options: Partial<ChunkOptions> = {}): ChunkOptions {
  const resolved: ChunkOptions = {
    minTokens: options.minTokens ?? DEFAULT_CHUNK_OPTIONS.minTokens,
    maxTokens: options.maxTokens ?? DEFAULT_CHUNK_OPTIONS.maxTokens,
    overlapTokens: options.overlapTokens ?? DEFAULT_CHUNK_OPTIONS.overlapTokens,
  };
  const { minTokens, maxTokens, overlapTokens } = resolved;
  for (const [name, value, least] of [
    ['minTokens', minTokens, 1],
    ['maxTokens', maxTokens, 1],
    ['overlapTokens', overlapTokens, 0],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < least) {
      throw new RangeError(`${name} must be a whole number of at least ${least}, got ${value}`);
    }
  }
  if (minTokens > maxTokens) {
    throw new RangeError(`minTokens (${minTokens}) must not exceed maxTokens (${maxTokens})`);
  }
  // Overlap at or above the minimum could make a chunk that is nothing but repeated text.
  if (overlapTokens >= minTokens) {
    throw new RangeError(`overlapTokens (${overlapTokens}) must be below minTokens (${minTokens})`);
  }
  return resolved;
}
