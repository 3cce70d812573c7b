import type { SourceRef } from '@chatbot/shared';
import {
  createEmbedder,
  type ChatModel,
  type ContextPassage,
  type Embedder,
  type Logger,
  type StoredChunk,
  type VectorStore,
  namesSubject,
  retrievalDuration,
  termSalience,
} from '@chatbot/shared/platform';
import type { BotConfig } from '../chat/bot-configs';
import type { HistoryTurn } from '../chat/prompt';
import { answerConfidence } from './confidence';
import { searchQuery, type SearchQuery } from './follow-up';
import type { LexicalIndex } from './lexical-index';
import type { LexicalIndexes } from './lexical-indexes';
import { withoutNearDuplicates } from './near-duplicates';
import { fuseRankings } from './rank-fusion';

/** A retrieved chunk, numbered for the prompt, with what a citation of it shows. */
export interface Passage extends ContextPassage {
  source: SourceRef;
  /** Where each search ranked it (1 = first), and its scores there; absent where it was not found. */
  vector?: { rank: number; score: number };
  lexical?: { rank: number; score: number };
}

/** What was found for a question, and whether it is enough to answer from. */
export interface Retrieval {
  /** What was searched: the question, or its standalone form for a follow-up. */
  query: string;
  passages: Passage[];
  /** How well the best passage covers the question, 0-1 (see `answerConfidence`). */
  confidence: number;
  /** Whether the confidence reaches {@link minConfidence}: below it the bot says it does not know. */
  answerable: boolean;
  /**
   * The question names nothing to look up ("hello", "tell me more"): not a gap in the documents, so a
   * model may answer it from the conversation rather than the bot saying it does not know.
   */
  smallTalk: boolean;
  /** How much each word of the query says (its rarity in the bot's documents, and its salience). */
  termWeight: (term: string) => number;
  /**
   * One of the searches failed (Chroma or the embedding model unreachable): the passages are only what the
   * other found, so finding nothing does not mean the documents do not answer.
   */
  impaired: boolean;
  /** What rewriting a follow-up cost, if a model did. */
  rewrite: SearchQuery['rewrite'];
}

/**
 * Below this confidence the documents are taken not to answer the question. Calibrated on the evaluation
 * set (`npm run eval`, see docs/architecture.md#answer-quality): the point that keeps false refusals of
 * answerable questions at or under 5% while abstaining on as many unanswerable ones as possible.
 */
export const minConfidence = 0.39;

const snippetLength = 200;
/** Each search hands the fusion this many candidates at least: the fused top-k draws on both lists. */
const minCandidates = 20;

export interface RetrieverDeps {
  vectors: VectorStore;
  lexical: LexicalIndexes;
  logger: Logger;
  openai: { baseURL?: string };
}

/**
 * Finds the passages of a bot's documents that answer a question: vector search (the question embedded the
 * way the documents were: the bot's key, else the platform's, else offline) and BM25 over the same chunks,
 * fused by rank, near-duplicates dropped, the bot's `topK` kept, numbered from 1. Either search failing
 * leaves the other, and the retrieval says it was `impaired`: the bot then tells the visitor it cannot
 * search its documents now rather than that they do not answer.
 */
export class Retriever {
  constructor(private readonly deps: RetrieverDeps) {}

  async retrieve(
    bot: BotConfig,
    apiKey: string | null,
    question: string,
    history: readonly HistoryTurn[],
    model: ChatModel | null,
    signal?: AbortSignal,
  ): Promise<Retrieval> {
    const query = await searchQuery(question, history, model, { model: bot.model, signal });
    return { ...(await this.search(bot, apiKey, query.text, bot.retrieval.topK)), rewrite: query.rewrite };
  }

  /** The hybrid search itself, for `limit` passages: what retrieval tests in the dashboard show. */
  search(
    bot: BotConfig,
    apiKey: string | null,
    query: string,
    limit: number,
  ): Promise<Omit<Retrieval, 'rewrite'>> {
    const embedder = createEmbedder({ apiKey, baseURL: this.deps.openai.baseURL });
    return this.searchCollection(bot.id, embedder, query, limit);
  }

  /**
   * The hybrid search over one collection: a bot's documents, or the admin assistant's documentation,
   * with the embedder the collection was filled with.
   */
  async searchCollection(
    collectionId: string,
    embedder: Embedder,
    query: string,
    limit: number,
  ): Promise<Omit<Retrieval, 'rewrite'>> {
    const candidates = Math.max(minCandidates, limit * 4);
    const stopTimer = retrievalDuration.startTimer();
    const [vectorFound, lexical] = await Promise.all([
      this.vectorSearch(collectionId, embedder, query, candidates),
      this.lexicalSearch(collectionId, query, candidates),
    ]).finally(stopTimer);
    const chunks = new Map<string, StoredChunk>();
    const impaired = vectorFound === null || lexical.index === undefined;
    const vectorHits = vectorFound ?? [];
    for (const hit of vectorHits) chunks.set(hit.id, hit);
    const ranked = fuseRankings([vectorHits.map((hit) => hit.id), lexical.hits.map((hit) => hit.id)])
      .map((id) => chunks.get(id) ?? lexical.index?.chunk(id))
      .filter((chunk) => chunk !== undefined);
    const passages = withoutNearDuplicates(ranked, (chunk) => chunk.text, limit).map((chunk, i) => {
      const vectorRank = vectorHits.findIndex((hit) => hit.id === chunk.id);
      const lexicalRank = lexical.hits.findIndex((hit) => hit.id === chunk.id);
      return toPassage(chunk, i + 1, {
        ...(vectorRank >= 0 && { vector: { rank: vectorRank + 1, score: vectorHits[vectorRank]!.score } }),
        ...(lexicalRank >= 0 && {
          lexical: { rank: lexicalRank + 1, score: lexical.hits[lexicalRank]!.score },
        }),
      });
    });
    const index = lexical.index;
    const termWeight = index ? (term: string) => index.idf(term) * termSalience(term) : termSalience;
    // Without a lexical index (Chroma unreachable) there are no rarities to judge by; nor any passages.
    const confidence = index ? answerConfidence(termWeight, query, passages) : passages.length > 0 ? 1 : 0;
    return {
      query,
      passages,
      confidence,
      answerable: passages.length > 0 && confidence >= minConfidence,
      smallTalk: !namesSubject(query),
      termWeight,
      impaired,
    };
  }

  private async vectorSearch(collectionId: string, embedder: Embedder, query: string, limit: number) {
    try {
      const [vector] = await embedder.embed([query]);
      const hits = await this.deps.vectors.query(collectionId, vector!, limit);
      return hits.filter((hit) => hit.score > 0);
    } catch (error) {
      this.deps.logger.warn({ err: error, collectionId }, 'vector search failed; searching words only');
      return null;
    }
  }

  private async lexicalSearch(collectionId: string, query: string, limit: number) {
    try {
      const index = await this.deps.lexical.of(collectionId);
      return { index, hits: index.find(query, limit) };
    } catch (error) {
      this.deps.logger.warn({ err: error, collectionId }, 'lexical search failed; searching vectors only');
      return { index: undefined as LexicalIndex | undefined, hits: [] };
    }
  }
}

function toPassage(chunk: StoredChunk, index: number, ranks: Pick<Passage, 'vector' | 'lexical'>): Passage {
  const title = typeof chunk.metadata.source === 'string' ? chunk.metadata.source : 'Document';
  const page = typeof chunk.metadata.page === 'number' ? chunk.metadata.page : undefined;
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
      ...(/^https?:\/\//.test(title) ? { url: title } : {}),
      ...(page !== undefined ? { page } : {}),
      ...(heading ? { heading } : {}),
      chunkIndex: chunk.chunkIndex,
      snippet: chunk.text.slice(0, snippetLength),
    },
    ...ranks,
  };
}

/**
 * The sources an answer actually cites, in the order of their numbers. Numbers that name no passage (a
 * model inventing [7] of five) are ignored: only citations that exist reach the visitor.
 */
export function citedSources(content: string, passages: Passage[]): SourceRef[] {
  const cited = new Set<number>();
  for (const match of content.matchAll(citation)) cited.add(Number(match[1]));
  return passages.filter((passage) => cited.has(passage.index)).map((passage) => passage.source);
}

/** `content` without the citation marks that name no passage, so the visitor never sees a dead [7]. */
export function keepKnownCitations(content: string, passages: Passage[]): string {
  const known = new Set(passages.map((passage) => passage.index));
  return content.replace(spacedCitation, (mark, number: string) => (known.has(Number(number)) ? mark : ''));
}

const citation = /\[(\d{1,2})\]/g;
const spacedCitation = /\s*\[(\d{1,2})\]/g;
