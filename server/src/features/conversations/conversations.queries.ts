import type { ConversationDetail, ConversationsResponse, ListConversationsQuery } from '@chatbot/shared';
import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { Conversation, Lead, Message } from '@chatbot/shared/platform';
import { containsText } from '../../http/contains-text';
import { notFound } from '../../http/http-error';
import { messagesSince } from './conversation-messages';
import { presentConversation, presentMessage } from './conversations.presenter';

/** Conversations a search may match at most; a broader search should be narrowed by bot or date. */
const searchMatchesMax = 1000;

/** The inbox: the tenant's conversations, most recently active first, filtered and paged. */
export async function listConversations(
  em: EntityManager,
  query: ListConversationsQuery,
): Promise<ConversationsResponse> {
  const where: FilterQuery<Conversation> = {};
  if (query.botId) where.bot = query.botId;
  if (query.mode) where.mode = query.mode;
  if (query.waiting !== undefined) where.handoffRequestedAt = query.waiting ? { $ne: null } : null;
  if (query.from || query.to) {
    where.createdAt = {
      ...(query.from ? { $gte: new Date(query.from) } : {}),
      ...(query.to ? { $lte: new Date(query.to) } : {}),
    };
  }
  if (query.search) where.id = { $in: await conversationsMatching(em, query.search) };
  const [conversations, total] = await em.findAndCount(Conversation, where, {
    orderBy: { lastMessageAt: 'desc', createdAt: 'desc', id: 'asc' },
    populate: ['assignedAgent'],
    limit: query.limit,
    offset: query.offset,
  });
  return { conversations: conversations.map((conversation) => presentConversation(conversation)), total };
}

/** Ids of conversations with the text in a message or in the email of their lead. */
async function conversationsMatching(em: EntityManager, text: string): Promise<string[]> {
  const [messages, leads] = await Promise.all([
    em.find(Message, containsText('content', text), { fields: ['conversation'], limit: searchMatchesMax }),
    em.find(Lead, containsText('email', text), { fields: ['conversation'], limit: searchMatchesMax }),
  ]);
  return [...new Set([...messages, ...leads].map((row) => row.conversation.id))];
}

export async function getConversation(em: EntityManager, id: string): Promise<ConversationDetail> {
  const conversation = await em.findOne(Conversation, id, { populate: ['assignedAgent'] });
  if (!conversation) throw notFound('Conversation');
  const messages = await messagesSince(em, id);
  return {
    conversation: {
      ...presentConversation(conversation),
      visitorIp: conversation.visitorIp,
      userAgent: conversation.userAgent,
      referrer: conversation.referrer,
    },
    messages: messages.map((message) => presentMessage(message, undefined, 'staff')),
  };
}
