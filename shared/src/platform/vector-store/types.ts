/** One chunk of a document, embedded, as the knowledge pipeline hands it to the vector store. */
export interface ChunkRecord {
  /** Use `chunkId(documentId, chunkIndex)`: a stable id is what makes re-indexing idempotent. */
  id: string;
  documentId: string;
  chunkIndex: number;
  text: string;
  embedding: number[];
  metadata: { source: string; page?: number; headingPath?: string };
}

/** A chunk as stored, without its vector. */
export interface StoredChunk {
  id: string;
  documentId: string;
  chunkIndex: number;
  text: string;
  /** The chunk's metadata (`source`, and `page` / `headingPath` when the chunk had them). */
  metadata: Record<string, unknown>;
}

/** One retrieval result, best first. */
export interface QueryHit extends StoredChunk {
  /** Cosine similarity, 1 - cosine distance: 1 is the same direction, 0 unrelated, -1 opposite. */
  score: number;
}
