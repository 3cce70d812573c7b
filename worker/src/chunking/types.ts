/**
 * A run of extracted text, as the extraction step produces it. Declared here rather than imported so chunking
 * does not depend on extraction; the shape is the same as extraction's Section, so its output passes straight in.
 */
export interface Section {
  text: string;
  /** 1-based page number, for PDFs. */
  page?: number;
  /** The headings this text sits under, outermost first. */
  headingPath?: string[];
}

/** Chunk sizes in cl100k_base tokens; configurable per bot. */
export interface ChunkOptions {
  /** A chunk is emitted once it reaches this size and the next paragraph would not fit (default 500). */
  minTokens: number;
  /** No chunk is larger than this (default 1000). */
  maxTokens: number;
  /** Whole sentences repeated from the end of the previous chunk, at most this many tokens (default 100; 0 disables). */
  overlapTokens: number;
}

/** One retrieval unit, ready to embed. */
export interface Chunk {
  /** 0-based position in the document; dense. */
  index: number;
  text: string;
  /** The chunk's size as the sum of its sentences' counts; see chunkSections for how close that is. */
  tokenCount: number;
  /** The page the chunk's text starts on, for PDFs. */
  page?: number;
  /** The headings every sentence of the chunk sits under. */
  headingPath?: string[];
}
