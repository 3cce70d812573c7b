import type { Cache, Embedder, Logger, VectorStore } from '@chatbot/shared/platform';
import { LexicalIndexes } from '../../retrieval/lexical-indexes';
import { Retriever, type Passage } from '../../retrieval/retrieval';
import { ASSISTANT_DOCS_COLLECTION_ID } from './docs-collection';

/** A passage of the documentation, numbered for the answer to cite, with what a citation shows. */
export type DocsPassage = Passage;

/** What the documentation holds for a question. */
export interface DocsRetrieval {
  passages: DocsPassage[];
  /** Whether the best passage covers the question well enough to answer from (the chat's threshold). */
  answerable: boolean;
  /** How much each word of the question says: its rarity in the documentation, and its salience. */
  termWeight: (term: string) => number;
}

export interface DocsSearchDeps {
  vectors: VectorStore;
  cache: Cache;
  logger: Logger;
  /** The embedder the collection was filled with. */
  embedder: Embedder;
  /** Resolves once the documentation is indexed (or could not be): searching before would find less. */
  ready: () => Promise<void>;
}

const passagesMax = 4;

/**
 * The chat's hybrid search (vectors and BM25 fused by rank, near-duplicates dropped, the same confidence),
 * over the assistant's documentation collection instead of a bot's. Either search failing leaves the other.
 */
export class DocsSearch {
  private readonly retriever: Retriever;

  constructor(private readonly deps: DocsSearchDeps) {
    this.retriever = new Retriever({
      vectors: deps.vectors,
      // A few hundred chunks: a small budget is plenty.
      lexical: new LexicalIndexes({ vectors: deps.vectors, cache: deps.cache, maxChars: 8 * 1024 * 1024 }),
      logger: deps.logger,
      openai: {},
    });
  }

  async search(question: string): Promise<DocsRetrieval> {
    await this.deps.ready();
    const found = await this.retriever.searchCollection(
      ASSISTANT_DOCS_COLLECTION_ID,
      this.deps.embedder,
      question,
      passagesMax,
    );
    return { passages: found.passages, answerable: found.answerable, termWeight: found.termWeight };
  }
}
