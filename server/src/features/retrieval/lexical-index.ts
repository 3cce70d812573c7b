import MiniSearch from 'minisearch';
import { searchTerms, sourceWords, type StoredChunk } from '@chatbot/shared/platform';

/** A chunk found by its words, with what the BM25 ranking matched. */
export interface LexicalHit {
  id: string;
  score: number;
  /** The question's terms found in the chunk (its text, heading or document name). */
  matchedTerms: string[];
}

// A question's words weigh more in a heading or the document's name than in a passage's text: asking
// about "ioredis" or "Installation" names where the answer is.
const boost = { text: 1, heading: 2, title: 2 };

/**
 * BM25 over a bot's chunks (MiniSearch's BM25+), built from the texts stored with the vectors. Text, heading
 * path and document name are separate fields; words are cut and stemmed by `searchTerms`, the same as the
 * offline answerer, so "indexing" finds "indexed". It also knows how rare each term is, for the confidence
 * of an answer.
 */
export class LexicalIndex {
  private readonly search: MiniSearch<IndexedChunk>;
  private readonly documentFrequency = new Map<string, number>();
  private readonly chunks = new Map<string, StoredChunk>();
  readonly chunkCount: number;
  /** Characters indexed: what this index costs in memory, roughly. */
  readonly size: number;

  private constructor(search: MiniSearch<IndexedChunk>, chunks: StoredChunk[], indexed: IndexedChunk[]) {
    this.search = search;
    this.chunkCount = chunks.length;
    let size = 0;
    for (const chunk of chunks) this.chunks.set(chunk.id, chunk);
    for (const chunk of indexed) {
      size += chunk.text.length + chunk.heading.length + chunk.title.length;
      for (const term of new Set(searchTerms(`${chunk.title} ${chunk.heading} ${chunk.text}`))) {
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      }
    }
    this.size = size;
  }

  /** Indexes `chunks`, handing the event loop back between batches (a large bot takes a while). */
  static async build(chunks: StoredChunk[]): Promise<LexicalIndex> {
    const indexed = chunks.map(toIndexed);
    const search = new MiniSearch<IndexedChunk>({
      fields: ['text', 'heading', 'title'],
      storeFields: [],
      tokenize: (text) => searchTerms(text),
      processTerm: (term) => term,
      searchOptions: { boost, combineWith: 'OR' },
    });
    await search.addAllAsync(indexed, { chunkSize: 200 });
    return new LexicalIndex(search, chunks, indexed);
  }

  /** The chunk with this id, if the index holds it. */
  chunk(id: string): StoredChunk | undefined {
    return this.chunks.get(id);
  }

  /** The `limit` best chunks for `query`, best first. */
  find(query: string, limit: number): LexicalHit[] {
    if (limit <= 0) return [];
    return this.search
      .search(query)
      .slice(0, limit)
      .map((result) => ({ id: String(result.id), score: result.score, matchedTerms: result.queryTerms }));
  }

  /**
   * Inverse document frequency of a term (stemmed, as `searchTerms` gives it): ln(1 + N / (df + 0.5)). A term
   * no chunk contains gets the highest value there is: asking about something the documents never mention
   * is what makes a question unanswerable.
   */
  idf(term: string): number {
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + this.chunkCount / (df + 0.5));
  }
}

interface IndexedChunk {
  id: string;
  text: string;
  heading: string;
  title: string;
}

function toIndexed(chunk: StoredChunk): IndexedChunk {
  const { headingPath, source } = chunk.metadata;
  return {
    id: chunk.id,
    text: chunk.text,
    heading: typeof headingPath === 'string' ? headingPath : '',
    title: typeof source === 'string' ? sourceWords(source) : '',
  };
}
