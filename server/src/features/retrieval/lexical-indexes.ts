import { LRUCache } from 'lru-cache';
import { knowledgeVersion, type Cache, type VectorStore } from '@chatbot/shared/platform';
import { LexicalIndex } from './lexical-index';

export interface LexicalIndexesDeps {
  vectors: VectorStore;
  /** Where each bot's knowledge version lives: a document change retires its index everywhere. */
  cache: Cache;
  /** Characters of indexed text this node keeps at most (an index takes a few times that in memory). */
  maxChars?: number;
}

/**
 * The lexical index of each bot, built on this node from the chunks in Chroma the first time it is needed
 * and kept until the bot's knowledge version changes (a document added, re-indexed or removed), or until
 * other bots' indexes push it out. Concurrent questions to a bot whose index is being built wait for that
 * one build.
 */
export class LexicalIndexes {
  /** Per bot, the index of one knowledge version: a newer version replaces it rather than sitting beside it. */
  private readonly built: LRUCache<string, { version: string; index: LexicalIndex }>;
  private readonly building = new Map<string, Promise<LexicalIndex>>();

  constructor(private readonly deps: LexicalIndexesDeps) {
    this.built = new LRUCache({
      maxSize: deps.maxChars ?? 64 * 1024 * 1024,
      sizeCalculation: ({ index }) => Math.max(1, index.size),
    });
  }

  async of(botId: string): Promise<LexicalIndex> {
    const version = await knowledgeVersion(this.deps.cache, botId);
    const ready = this.built.get(botId);
    if (ready?.version === version) return ready.index;
    const key = `${botId}:${version}`;
    let pending = this.building.get(key);
    if (!pending) {
      pending = this.build(botId)
        .then((index) => {
          this.built.set(botId, { version, index });
          return index;
        })
        .finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return pending;
  }

  private async build(botId: string): Promise<LexicalIndex> {
    const chunks = [];
    for await (const page of this.deps.vectors.chunks(botId)) chunks.push(...page);
    return LexicalIndex.build(chunks);
  }
}
