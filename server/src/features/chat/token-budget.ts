import type { EntityManager } from '@mikro-orm/core';
import { Conversation, UsageDaily } from '@chatbot/shared/platform';
import { usageDay } from '../conversations/daily-usage';
import type { BotConfig } from './bot-configs';

/** Which of the bot's token budgets is spent, if one is. */
export type SpentBudget = 'conversation' | 'day';

/** What the admin reads on an answer given offline because a budget was spent. */
export const budgetNotes: Record<SpentBudget, string> = {
  conversation: 'This conversation has spent its token budget: answered offline, without the model.',
  day: "The bot has spent today's token budget: answered offline, without the model, until midnight UTC.",
};

/**
 * Whether the conversation or the bot's day has spent its token budget (prompt and completion tokens
 * together, as counted when each answer is stored). Read fresh from the database, so every node sees the
 * same totals; an answer under way when a budget runs out finishes, so a budget can be passed by one answer.
 */
export async function spentBudget(
  em: EntityManager,
  bot: BotConfig,
  conversationId: string,
): Promise<SpentBudget | null> {
  const fork = em.fork();
  const [conversation, today] = await Promise.all([
    fork.findOne(Conversation, conversationId, { fields: ['tokensIn', 'tokensOut'] }),
    fork.findOne(UsageDaily, { bot: bot.id, day: usageDay() }, { fields: ['tokensIn', 'tokensOut'] }),
  ]);
  const { tokensPerConversation, tokensPerDay } = bot.rateLimits;
  if (conversation && conversation.tokensIn + conversation.tokensOut >= tokensPerConversation) {
    return 'conversation';
  }
  if (today && today.tokensIn + today.tokensOut >= tokensPerDay) return 'day';
  return null;
}
