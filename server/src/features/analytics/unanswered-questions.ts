import {
  type UnansweredQuestion,
  type UnansweredQuestionsQuery,
  type UnansweredQuestionsResponse,
} from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { Message, currentTenantId } from '@chatbot/shared/platform';
import { botsCovered } from './analytics-bots';
import { dayBounds } from './day-bounds';

/**
 * Questions read at most, the newest of the range: grouping happens here rather than in SQL, because
 * collapsing whitespace has no portable SQL (and SQL Server cannot group its long-text column).
 */
export const unansweredScanMax = 5000;

/** What questions are grouped by: lowercased, trimmed, each run of whitespace one space. */
export const normalizeQuestion = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * The visitors' questions the documents did not answer, grouped per bot by their normalised text, the
 * most asked first: what the tenant should add to each bot's knowledge base.
 */
export async function unansweredQuestions(
  em: EntityManager,
  query: UnansweredQuestionsQuery,
): Promise<UnansweredQuestionsResponse> {
  const names = new Map((await botsCovered(em, query.botId)).map((bot) => [bot.id, bot.name]));
  const messages = await em.find(
    Message,
    {
      tenant: currentTenantId(),
      role: 'visitor',
      unanswered: true,
      createdAt: dayBounds(query),
      ...(query.botId ? { conversation: { bot: query.botId } } : {}),
    },
    {
      fields: ['content', 'createdAt', 'conversation.bot'],
      populate: ['conversation'],
      strategy: 'joined',
      orderBy: { createdAt: 'desc', id: 'asc' },
      limit: unansweredScanMax,
    },
  );
  const groups = new Map<string, UnansweredQuestion>();
  // Newest first: a group's first message is the last time its question was asked.
  for (const message of messages) {
    const botId = message.conversation.getEntity().bot.id;
    const normalized = normalizeQuestion(message.content);
    const key = `${botId}\n${normalized}`;
    const group = groups.get(key);
    if (group) group.count++;
    else {
      groups.set(key, {
        question: message.content.trim(),
        normalized,
        count: 1,
        lastAskedAt: message.createdAt.toISOString(),
        botId,
        botName: names.get(botId) ?? '',
      });
    }
  }
  const questions = [...groups.values()]
    .sort((a, b) => b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt))
    .slice(0, query.limit);
  return { from: query.from, to: query.to, botId: query.botId ?? null, questions };
}
