import type { ChatMessage, ConversationSummary } from '@chatbot/shared';
import type { Conversation, Message } from '@chatbot/shared/platform';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A message as clients see it; `error` only for staff. (An answer's tokens and cost come with `message:done`.) */
export function presentMessage(
  message: Message,
  agentName?: string,
  audience: 'visitor' | 'staff' = 'visitor',
): ChatMessage {
  const name = agentName ?? (message.agent?.isInitialized() ? message.agent.getEntity().name : undefined);
  return {
    id: message.id,
    conversationId: message.conversation.id,
    seq: message.seq,
    role: message.role,
    content: message.content,
    state: message.state,
    sources: message.sources,
    ...(name ? { agentName: name } : {}),
    clientMessageId: message.clientMessageId,
    createdAt: message.createdAt.toISOString(),
    ...(audience === 'staff' ? { error: message.error } : {}),
    ...(message.unanswered ? { unanswered: true as const } : {}),
  };
}

/**
 * The inbox row of a conversation; the assigned agent's name when it was loaded. `totals` are counts the
 * caller has just added in the database, which the entity does not show.
 */
export function presentConversation(
  conversation: Conversation,
  totals: Partial<Pick<ConversationSummary, 'tokensIn' | 'tokensOut' | 'costUsd'>> = {},
): ConversationSummary {
  const agent = conversation.assignedAgent;
  return {
    id: conversation.id,
    botId: conversation.bot.id,
    mode: conversation.mode,
    visitorId: conversation.visitorId,
    messageCount: conversation.messageCount,
    lastMessageAt: iso(conversation.lastMessageAt),
    handoffRequestedAt: iso(conversation.handoffRequestedAt),
    assignedAgentId: agent?.id ?? null,
    assignedAgentName: agent?.isInitialized() ? agent.getEntity().name : null,
    tokensIn: conversation.tokensIn,
    tokensOut: conversation.tokensOut,
    costUsd: conversation.costUsd,
    createdAt: conversation.createdAt.toISOString(),
    closedAt: iso(conversation.closedAt),
    ...totals,
  };
}
