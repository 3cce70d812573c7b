import type { ChatMessage, ConversationListItem, ConversationSummary } from '@chatbot/shared';

/** Data for unit tests, as the API and the socket send it. */
export function summary(overrides: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id: 'c1',
    botId: 'b1',
    mode: 'bot',
    visitorId: 'visitor-abcdef',
    messageCount: 1,
    lastMessageAt: '2026-03-02T10:00:00.000Z',
    handoffRequestedAt: null,
    assignedAgentId: null,
    assignedAgentName: null,
    tokensIn: 0,
    tokensOut: 0,
    costUsd: 0,
    createdAt: '2026-03-02T09:58:00.000Z',
    closedAt: null,
    ...overrides,
  };
}

export function listItem(overrides: Partial<ConversationListItem> = {}): ConversationListItem {
  return { ...summary(overrides), botName: 'Support bot', lead: null, lastMessage: null, ...overrides };
}

export function message(overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: 'm1',
    conversationId: 'c1',
    seq: 1,
    role: 'visitor',
    content: 'Hello',
    state: 'complete',
    sources: [],
    clientMessageId: 'client-1',
    createdAt: '2026-03-02T10:00:00.000Z',
    ...overrides,
  };
}
