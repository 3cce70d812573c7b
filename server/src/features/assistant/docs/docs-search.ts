import type { SourceRef } from '@chatbot/shared';
import {
  termSalience,
  type Cache,
  type ContextPassage,
  type Embedder,
  type Logger,
  type StoredChunk,
  type VectorStore,
} from '@chatbot/shared/platform';
import { answerConfidence } from '../../retrieval/confidence';
import { LexicalIndexes } from '../../retrieval/lexical-indexes';
import { withoutNearDuplicates } from '../../retrieval/near-duplicates';
import { fuseRankings } from '../../retrieval/rank-fusion';
import { minConfidence } from '../../retrieval/retrieval';
import { ASSISTANT_DOCS_COLLECTION_ID } from './docs-collection';

/** A passage of the documentation, numbered for the answer to cite, with what a citation shows. */
export interface DocsPassage extends ContextPassage {
  source: SourceRef;
}

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
/** Each search hands the fusion this many candidates, as the chat's retrieval does. */
const candidates = 20;
const snippetLength = 200;
const collection = ASSISTANT_DOCS_COLLECTION_ID;

/**
 * The chat's hybrid search (vectors and BM25 fused by rank, near-duplicates dropped, the same confidence),
 * over the assistant's documentation collection instead of a bot's. Either search failing leaves the other.
 */
export class DocsSearch {
  private readonly lexical: LexicalIndexes;

  constructor(private readonly deps: DocsSearchDeps) {
    // A few hundred chunks: a small budget is plenty.
    this.lexical = new LexicalIndexes({
      vectors: deps.vectors,
      cache: deps.cache,
      maxChars: 8 * 1024 * 1024,
    });
  }

  async search(question: string): Promise<DocsRetrieval> {
    await this.deps.ready();
    const [vectorHits, lexical] = await Promise.all([
      this.vectorSearch(question),
      this.lexicalSearch(question),
    ]);
    const chunks = new Map<string, StoredChunk>(vectorHits.map((hit) => [hit.id, hit]));
    const ranked = fuseRankings([vectorHits.map((hit) => hit.id), lexical.hits.map((hit) => hit.id)])
      .map((id) => chunks.get(id) ?? lexical.index?.chunk(id))
      .filter((chunk) => chunk !== undefined);
    const passages = withoutNearDuplicates(ranked, (chunk) => chunk.text)
      .slice(0, passagesMax)
      .map((chunk, i) => toPassage(chunk, i + 1));
    const index = lexical.index;
    const termWeight = index ? (term: string) => index.idf(term) * termSalience(term) : termSalience;
    const confidence = index ? answerConfidence(termWeight, question, passages) : 0;
    return { passages, answerable: passages.length > 0 && confidence >= minConfidence, termWeight };
  }

  private async vectorSearch(question: string) {
    try {
      const [vector] = await this.deps.embedder.embed([question]);
      const hits = await this.deps.vectors.query(collection, vector!, candidates);
      return hits.filter((hit) => hit.score > 0);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'documentation vector search failed; searching words only');
      return [];
    }
  }

  private async lexicalSearch(question: string) {
    try {
      const index = await this.lexical.of(collection);
      return { index, hits: index.find(question, candidates) };
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'documentation word search failed; searching vectors only');
      return { index: undefined, hits: [] };
    }
  }
}

function toPassage(chunk: StoredChunk, index: number): DocsPassage {
  const title = typeof chunk.metadata.source === 'string' ? chunk.metadata.source : 'Documentation';
  const heading = typeof chunk.metadata.headingPath === 'string' ? chunk.metadata.headingPath : undefined;
  return {
    index,
    title,
    ...(heading ? { heading } : {}),
    text: chunk.text,
    source: {
      index,
      documentId: chunk.documentId,
      title,
      ...(heading ? { heading } : {}),
      chunkIndex: chunk.chunkIndex,
      snippet: chunk.text.slice(0, snippetLength),
    },
  };
}
