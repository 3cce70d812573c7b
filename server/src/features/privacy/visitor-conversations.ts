import type { VisitorRef } from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { Conversation, Lead, currentTenantId } from '@chatbot/shared/platform';
import { notFound } from '../../http/http-error';

/** Ids per `IN (…)` list: SQL Server takes at most 2100 parameters in one statement. */
const idsPerQuery = 500;

/** Splits ids into lists short enough for one `IN (…)` on every database. */
export function inChunks(ids: readonly string[]): string[][] {
  const chunks: string[][] = [];
  for (let start = 0; start < ids.length; start += idsPerQuery) {
    chunks.push(ids.slice(start, start + idsPerQuery));
  }
  return chunks;
}

/**
 * The ids of every conversation of a visitor in the current tenant, oldest first. A visitor is who holds a
 * visitor id (one browser, across the conversations it starts again); named by one of their conversations
 * (unknown: 404) or by an email they left in any conversation, which names every visitor who left it.
 */
export async function visitorConversationIds(em: EntityManager, visitor: VisitorRef): Promise<string[]> {
  const tenant = currentTenantId();
  let visitorIds: string[];
  if (visitor.conversationId) {
    const conversation = await em.findOne(
      Conversation,
      { id: visitor.conversationId, tenant },
      { fields: ['visitorId'] },
    );
    if (!conversation) throw notFound('Conversation');
    visitorIds = [conversation.visitorId];
  } else {
    const leads = await em.find(
      Lead,
      { tenant, email: visitor.email },
      { fields: ['conversation.visitorId'], populate: ['conversation'], strategy: 'joined' },
    );
    visitorIds = [...new Set(leads.map((lead) => lead.conversation.getEntity().visitorId))];
  }
  if (!visitorIds.length) return [];
  const conversations = await em.find(
    Conversation,
    { tenant, visitorId: { $in: visitorIds } },
    { fields: ['id'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  return conversations.map((conversation) => conversation.id);
}
