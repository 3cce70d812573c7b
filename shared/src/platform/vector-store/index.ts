/**
 * Vector storage for the knowledge pipeline: the embedded Chroma server and the per-bot repository that
 * every vector read and write goes through.
 */
export {
  startEmbeddedChroma,
  EmbeddedChromaStartError,
  type ChromaExit,
  type EmbeddedChroma,
  type EmbeddedChromaOptions,
} from './embedded-chroma';
export { EmbeddingModelMismatchError, type EmbeddingSpec } from './errors';
export { chunkId, collectionName } from './naming';
export type { ChunkRecord, QueryHit, StoredChunk } from './types';
export { VectorStore } from './vector-store';
