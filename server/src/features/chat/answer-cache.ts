import { createHash } from 'node:crypto';
import type { SourceRef } from '@chatbot/shared';
import { knowledgeVersion, type Cache } from '@chatbot/shared/platform';
import type { BotConfig } from './bot-configs';

export interface CachedAnswer {
  content: string;
  sources: SourceRef[];
  model: string;
  /** The answer was the bot saying the documents do not answer. */
  unanswered?: boolean;
}

/** The plan's 30 minutes. */
const ttlSeconds = 30 * 60;

/** Case, spacing and trailing punctuation do not make a different question. */
export function normaliseQuestion(question: string): string {
  return question
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s?!.¿¡。？！]+$/u, '')
    .trim();
}

/**
 * Answers to first questions, per bot, keyed by the normalised question, the bot's settings (its last
 * change) and the version of its knowledge base, so an edit or any document change retires old answers.
 * Only questions asked without earlier turns are cached: a follow-up's answer depends on its conversation.
 */
export class AnswerCache {
  constructor(private readonly cache: Cache) {}

  async key(bot: BotConfig, question: string): Promise<string> {
    const version = await knowledgeVersion(this.cache, bot.id);
    const hash = createHash('sha256')
      .update(`${bot.updatedAt}\0${version}\0${normaliseQuestion(question)}`)
      .digest('base64url');
    return `answer:${bot.id}:${hash}`;
  }

  get(key: string): Promise<CachedAnswer | undefined> {
    return this.cache.get<CachedAnswer>(key);
  }

  set(key: string, answer: CachedAnswer): Promise<void> {
    return this.cache.set(key, answer, ttlSeconds);
  }
}
