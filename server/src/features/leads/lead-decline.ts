import type { EntityManager } from '@mikro-orm/core';
import { Conversation } from '@chatbot/shared/platform';

/**
 * The visitor turned the lead form down: the bot does not ask again in this conversation. Declining twice
 * keeps the first time. Call inside the conversation's tenant.
 */
export async function declineLead(em: EntityManager, conversationId: string): Promise<void> {
  await em.nativeUpdate(
    Conversation,
    { id: conversationId, leadDeclinedAt: null },
    { leadDeclinedAt: new Date() },
  );
}
