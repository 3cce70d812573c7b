import {
  ActiveConversationMinutes,
  ConversationPreviewLength,
  type ConversationDetail,
  type ConversationListItem,
  type ConversationsResponse,
  type ListConversationsQuery,
  type LiveCounts,
} from '@chatbot/shared';
import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { Chatbot, Conversation, Lead, Message } from '@chatbot/shared/platform';
import { containsText } from '../../http/contains-text';
import { notFound } from '../../http/http-error';
import { messagesSince } from './conversation-messages';
import { presentConversation, presentMessage } from './conversations.presenter';

/** Conversations a search may match at most; a broader search should be narrowed by bot or date. */
const searchMatchesMax = 1000;

/** The conversation table and the inbox: the tenant's conversations, most recently active first, filtered and paged. */
export async function listConversations(
  em: EntityManager,
  query: ListConversationsQuery,
): Promise<ConversationsResponse> {
  const where: FilterQuery<Conversation> = {};
  if (query.botId) where.bot = query.botId;
  if (query.mode) {
    // `mode` and `open` together must both hold: mode=closed with open=true matches nothing.
    if (query.open !== undefined && (query.mode === 'closed') === query.open) {
      return { conversations: [], total: 0 };
    }
    where.mode = query.mode;
  } else if (query.open !== undefined) {
    where.mode = query.open ? { $ne: 'closed' } : 'closed';
  }
  if (query.waiting !== undefined) where.handoffRequestedAt = query.waiting ? { $ne: null } : null;
  if (query.from || query.to) {
    where.createdAt = {
      ...(query.from ? { $gte: new Date(query.from) } : {}),
      ...(query.to ? { $lte: new Date(query.to) } : {}),
    };
  }
  if (query.activeSince) where.lastMessageAt = { $gte: new Date(query.activeSince) };
  if (query.search) where.id = { $in: await conversationsMatching(em, query.search) };
  const [conversations, total] = await em.findAndCount(Conversation, where, {
    orderBy: { lastMessageAt: 'desc', createdAt: 'desc', id: 'asc' },
    populate: ['assignedAgent'],
    limit: query.limit,
    offset: query.offset,
  });
  return { conversations: await presentListItems(em, conversations), total };
}

/** Ids of conversations with the text in a message, or in the email or name of their lead. */
async function conversationsMatching(em: EntityManager, text: string): Promise<string[]> {
  const [messages, leads] = await Promise.all([
    em.find(Message, containsText('content', text), { fields: ['conversation'], limit: searchMatchesMax }),
    em.find(
      Lead,
      { $or: [containsText('email', text), containsText('name', text)] },
      { fields: ['conversation'], limit: searchMatchesMax },
    ),
  ]);
  return [...new Set([...messages, ...leads].map((row) => row.conversation.id))];
}

/**
 * The rows for a page of conversations: three queries whatever the page's size (bot names, leads and the
 * newest messages), each bounded by the page (at most 100 conversations).
 */
export async function presentListItems(
  em: EntityManager,
  conversations: Conversation[],
): Promise<ConversationListItem[]> {
  if (!conversations.length) return [];
  const ids = conversations.map((conversation) => conversation.id);
  const botIds = [...new Set(conversations.map((conversation) => conversation.bot.id))];
  const lastSeqs = [...new Set(conversations.map((conversation) => conversation.lastSeq))];
  const [bots, leads, messages] = await Promise.all([
    em.find(Chatbot, { id: { $in: botIds } }, { fields: ['name'] }),
    em.find(Lead, { conversation: { $in: ids } }, { fields: ['name', 'email', 'conversation'] }),
    em.find(
      Message,
      { conversation: { $in: ids }, seq: { $in: lastSeqs } },
      { fields: ['role', 'content', 'seq', 'conversation'] },
    ),
  ]);
  const botNames = new Map(bots.map((bot) => [bot.id, bot.name]));
  const leadOf = new Map(leads.map((lead) => [lead.conversation.id, lead]));
  const lastOf = new Map(messages.map((message) => [`${message.conversation.id}:${message.seq}`, message]));
  return conversations.map((conversation) => {
    const lead = leadOf.get(conversation.id);
    const last = lastOf.get(`${conversation.id}:${conversation.lastSeq}`);
    return {
      ...presentConversation(conversation),
      botName: botNames.get(conversation.bot.id) ?? '',
      lead: lead ? { id: lead.id, name: lead.name, email: lead.email } : null,
      lastMessage: last
        ? {
            id: last.id,
            seq: last.seq,
            role: last.role,
            content: last.content.slice(0, ConversationPreviewLength),
          }
        : null,
    };
  });
}

export async function getConversation(em: EntityManager, id: string): Promise<ConversationDetail> {
  const conversation = await em.findOne(Conversation, id, { populate: ['assignedAgent'] });
  if (!conversation) throw notFound('Conversation');
  const [[row], messages] = await Promise.all([presentListItems(em, [conversation]), messagesSince(em, id)]);
  return {
    conversation: {
      ...row!,
      visitorIp: conversation.visitorIp,
      userAgent: conversation.userAgent,
      referrer: conversation.referrer,
      visitorLanguage: conversation.visitorLanguage,
    },
    messages: messages.map((message) => presentMessage(message, undefined, 'staff')),
  };
}

/**
 * The tenant's traffic now: visitors with the widget connected (asked of every node by `visitorsOnline`)
 * and the open conversations that had a message in the last {@link ActiveConversationMinutes} minutes.
 */
export async function liveCounts(
  em: EntityManager,
  tenantId: string,
  visitorsOnline: (tenantId: string) => Promise<number>,
): Promise<LiveCounts> {
  const since = new Date(Date.now() - ActiveConversationMinutes * 60_000);
  const [visitors, activeConversations] = await Promise.all([
    visitorsOnline(tenantId),
    em.count(Conversation, { mode: { $ne: 'closed' }, lastMessageAt: { $gte: since } }),
  ]);
  return { visitorsOnline: visitors, activeConversations };
}
