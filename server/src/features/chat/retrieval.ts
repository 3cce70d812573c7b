import type { SourceRef } from '@chatbot/shared';
import {
  createEmbedder,
  type ContextPassage,
  type Logger,
  type QueryHit,
  type VectorStore,
} from '@chatbot/shared/platform';
import type { BotConfig } from './bot-configs';

/** A retrieved chunk, numbered for the prompt, with what a citation of it shows. */
export interface Passage extends ContextPassage {
  source: SourceRef;
}

const snippetLength = 200;

export interface RetrievalDeps {
  vectors: VectorStore;
  logger: Logger;
  openai: { baseURL?: string };
}

/**
 * The bot's `topK` chunks nearest to the question, numbered from 1. The question is embedded the way the
 * bot's documents were (its own key, else the platform's, else offline), so both sit in one vector space.
 * A retrieval that fails (the embedding provider or Chroma down, a collection being rebuilt for another
 * model) yields no passages: the answer then says it does not know rather than failing the visitor.
 */
export async function retrievePassages(
  deps: RetrievalDeps,
  bot: BotConfig,
  apiKey: string | null,
  question: string,
): Promise<Passage[]> {
  try {
    const embedder = createEmbedder({ apiKey, baseURL: deps.openai.baseURL });
    const [vector] = await embedder.embed([question]);
    const hits = await deps.vectors.query(bot.id, vector!, bot.retrieval.topK);
    return hits.filter((hit) => hit.score > 0).map((hit, i) => toPassage(hit, i + 1));
  } catch (error) {
    deps.logger.warn({ err: error, botId: bot.id }, 'retrieval failed; answering without sources');
    return [];
  }
}

function toPassage(hit: QueryHit, index: number): Passage {
  const title = typeof hit.metadata.source === 'string' ? hit.metadata.source : 'Document';
  const page = typeof hit.metadata.page === 'number' ? hit.metadata.page : undefined;
  return {
    index,
    title,
    text: hit.text,
    source: {
      index,
      documentId: hit.documentId,
      title,
      ...(/^https?:\/\//.test(title) ? { url: title } : {}),
      ...(page !== undefined ? { page } : {}),
      chunkIndex: hit.chunkIndex,
      snippet: hit.text.slice(0, snippetLength),
    },
  };
}

/**
 * The sources an answer actually cites, in the order of their numbers. Numbers that name no passage (a
 * model inventing [7] of five) are ignored: only citations that exist reach the visitor.
 */
export function citedSources(content: string, passages: Passage[]): SourceRef[] {
  const cited = new Set<number>();
  for (const match of content.matchAll(/\[(\d{1,2})\]/g)) cited.add(Number(match[1]));
  return passages.filter((passage) => cited.has(passage.index)).map((passage) => passage.source);
}
