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

/** One retrieval result, best first. */
export interface QueryHit {
  id: string;
  documentId: string;
  chunkIndex: number;
  text: string;
  /** Cosine similarity, 1 - cosine distance: 1 is the same direction, 0 unrelated, -1 opposite. */
  score: number;
  /** The chunk's metadata (`source`, and `page` / `headingPath` when the chunk had them). */
  metadata: Record<string, unknown>;
}
