/**
 * Chunking: splits extracted document sections into retrieval chunks measured in cl100k_base tokens (the
 * encoding of text-embedding-3-small), each carrying its page and heading path.
 */
export type { Chunk, ChunkOptions, Section } from './types';
export { DEFAULT_CHUNK_OPTIONS } from './options';
export { countTokens } from '@chatbot/shared/platform';
export { chunkSections } from './chunk-sections';
