import type { Embedder } from './embedder';
import { forEachFeature, GRAM, STOP_WORD, WORD } from './text-features';

/** Options of {@link OfflineEmbedder}. */
export interface OfflineEmbedderOptions {
  /** Length of the vectors; 384 keeps a chunk's vector small while collisions stay rare. */
  dimension?: number;
}

// Relative weights of the feature kinds, indexed by kind (see text-features.ts). Words carry meaning;
// n-grams only help morphology and typos, and there are several per word, so each counts for less.
const WEIGHTS = [0, 0, 0];
WEIGHTS[WORD] = 1;
WEIGHTS[STOP_WORD] = 0.25;
WEIGHTS[GRAM] = 0.5;

// Embedding a large batch is CPU work on the event loop; hand the loop back this often.
const YIELD_EVERY_MS = 20;

/**
 * Embeds text on the spot, with no model and no network, for bots without an OpenAI key: the hashing
 * trick over words and character n-grams, each feature added with a hash-chosen sign to a hash-chosen
 * coordinate, weighted 1 + ln(tf), and the vector L2-normalised. It captures shared vocabulary, not
 * meaning: a paraphrase that shares words scores well, a synonym does not.
 *
 * Deterministic across processes, machines and releases of this class (changing the features must
 * change `model`). A text without any word (empty, spaces, punctuation) embeds to the zero vector, whose
 * dot product with anything is 0 - it matches nothing, and no NaN is produced.
 */
export class OfflineEmbedder implements Embedder {
  readonly model = 'offline-hash-v1';
  readonly dimension: number;

  constructor({ dimension = 384 }: OfflineEmbedderOptions = {}) {
    if (!Number.isInteger(dimension) || dimension < 1) {
      throw new RangeError(`OfflineEmbedder dimension must be a positive integer, got ${dimension}`);
    }
    this.dimension = dimension;
  }

  async embed(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    let since = performance.now();
    for (const text of texts) {
      vectors.push(this.embedOne(text));
      if (performance.now() - since > YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        since = performance.now();
      }
    }
    return vectors;
  }

  /** The vector of one text, synchronously (a search query does not need to wait for anything). */
  embedOne(text: string): number[] {
    const dimension = this.dimension;
    const vector = new Float64Array(dimension);
    forEachFeature(text, (hash, kind, tf) => {
      // Coordinate from the high bits, sign from the lowest: independent bits of a well-mixed hash, so
      // colliding features cancel out on average instead of piling up.
      const value = WEIGHTS[kind]! * (1 + Math.log(tf));
      vector[(hash >>> 1) % dimension]! += hash & 1 ? value : -value;
    });

    let norm = 0;
    for (const x of vector) norm += x * x;
    norm = Math.sqrt(norm);
    const result = new Array<number>(dimension);
    for (let i = 0; i < dimension; i++) result[i] = norm === 0 ? 0 : vector[i]! / norm;
    return result;
  }
}
