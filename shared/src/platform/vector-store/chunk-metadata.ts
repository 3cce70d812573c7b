import type { Metadata } from 'chromadb';
import type { ChunkRecord } from './types';

/**
 * Chroma merges metadata on upsert and ignores nulls (checked against chromadb 3.5.0's server), so a key
 * left out on re-indexing would keep its old value: a chunk that lost its page would still claim one.
 * Every key is therefore always written, with these values standing for "absent".
 */
const noPage = -1;
const noHeadingPath = '';

/** Keys this module owns; everything else in a record's metadata is the chunk's own. */
const ownKeys = new Set(['documentId', 'chunkIndex']);

export function toChromaMetadata(chunk: ChunkRecord): Metadata {
  return {
    documentId: chunk.documentId,
    chunkIndex: chunk.chunkIndex,
    source: chunk.metadata.source,
    page: chunk.metadata.page ?? noPage,
    headingPath: chunk.metadata.headingPath ?? noHeadingPath,
  };
}

export function fromChromaMetadata(metadata: Metadata | null | undefined): {
  documentId: string;
  chunkIndex: number;
  metadata: Record<string, unknown>;
} {
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (ownKeys.has(key) || value === null || value === undefined) continue;
    if (key === 'page' && value === noPage) continue;
    if (key === 'headingPath' && value === noHeadingPath) continue;
    own[key] = value;
  }
  return {
    documentId: String(metadata?.documentId ?? ''),
    chunkIndex: Number(metadata?.chunkIndex ?? -1),
    metadata: own,
  };
}
