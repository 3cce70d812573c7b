import type { PreviewConversationResponse } from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { Chatbot } from '@chatbot/shared/platform';
import { notFound } from '../../http/http-error';
import type { BotConfigs } from '../chat/bot-configs';
import type { ChatService, VisitorContext } from '../chat/chat.service';
import type { VisitorTokens } from '../public/visitor-tokens';

/**
 * Conversations for the dashboard's live preview: a signed-in member of the tenant (any role) chats with
 * one of its bots, published or draft. The visitor token it gets says `preview`, which is what lets the
 * widget's socket and the public routes reach a draft; nobody without a dashboard session can get one.
 */
export class PreviewConversations {
  constructor(
    private readonly bots: BotConfigs,
    private readonly chat: ChatService,
    private readonly tokens: VisitorTokens,
  ) {}

  async start(
    em: EntityManager,
    botId: string,
    context: VisitorContext,
  ): Promise<PreviewConversationResponse> {
    // Through the tenant filter first: another tenant's bot is not found, as everywhere.
    if (!(await em.findOne(Chatbot, botId, { fields: ['id'] }))) throw notFound('Chatbot');
    const bot = await this.bots.get(botId);
    if (!bot) throw notFound('Chatbot');
    const conversation = await this.chat.start(em, bot, null, context);
    const visitorToken = await this.tokens.sign({
      tenantId: bot.tenantId,
      botId: bot.id,
      conversationId: conversation.id,
      visitorId: conversation.visitorId,
      preview: true,
    });
    return {
      conversationId: conversation.id,
      visitorToken,
      resumed: false,
      welcomeMessage: bot.welcomeMessage,
    };
  }
}
