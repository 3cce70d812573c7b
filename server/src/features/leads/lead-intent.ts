import { detectBuyingIntent } from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { Conversation, Lead, type Logger } from '@chatbot/shared/platform';
import type { BotConfig } from '../chat/bot-configs';
import type { ChatEvents } from '../conversations/chat-events';

/**
 * After the bot has answered a visitor's message: when the message shows buying intent (the bot's trigger
 * words, or the platform's words for it in the bot's language), asks the widget for contact details with
 * `lead:request`. Asked once per conversation at most, never after the visitor declined, never when a lead
 * exists. Never fails the answer it follows: a problem is logged.
 */
export async function askForLeadOnIntent(
  em: EntityManager,
  deps: { events: ChatEvents; logger: Logger },
  bot: Pick<BotConfig, 'leadCapture' | 'appearance'>,
  conversation: Pick<Conversation, 'id' | 'leadRequestedAt' | 'leadDeclinedAt'>,
  text: string,
): Promise<boolean> {
  if (!bot.leadCapture.enabled || conversation.leadRequestedAt || conversation.leadDeclinedAt) return false;
  const intent = detectBuyingIntent(text, {
    language: bot.appearance.language,
    triggerWords: bot.leadCapture.triggerWords,
  });
  if (!intent) return false;
  try {
    const fork = em.fork();
    if (await fork.count(Lead, { conversation: conversation.id })) return false;
    // One conditional update: of two messages answered at once (on any nodes), only one asks.
    const asked = await fork.nativeUpdate(
      Conversation,
      { id: conversation.id, leadRequestedAt: null, leadDeclinedAt: null },
      { leadRequestedAt: new Date() },
    );
    if (!asked) return false;
    deps.events.toVisitor(conversation.id, 'lead:request', { conversationId: conversation.id });
    return true;
  } catch (error) {
    deps.logger.error({ err: error, conversationId: conversation.id }, 'asking for a lead failed');
    return false;
  }
}
