import type {
  ChatMessage,
  ConversationListItem,
  ConversationMode,
  ConversationStatus,
} from '@chatbot/shared';

/** How a status reads, and the badge that shows it. */
export const statusLabels: Record<ConversationStatus, { text: string; badge: string }> = {
  waiting: { text: 'Waiting for a person', badge: 'warning' },
  human: { text: 'With an agent', badge: 'info' },
  active: { text: 'Active', badge: 'success' },
  idle: { text: 'Idle', badge: '' },
  closed: { text: 'Closed', badge: '' },
};

export const modeLabels: Record<ConversationMode, string> = {
  bot: 'Bot',
  human: 'Human',
  closed: 'Closed',
};

/** The visitor as a person reads them: the name or email they left, else an anonymous label. */
export function visitorName(row: Pick<ConversationListItem, 'lead' | 'visitorId'>): string {
  if (row.lead) return row.lead.name ?? row.lead.email;
  return `Visitor ${row.visitorId.slice(0, 6)}`;
}

/** Who wrote a message, as its heading says. */
export function authorOf(message: Pick<ChatMessage, 'role' | 'agentName'>): string {
  switch (message.role) {
    case 'visitor':
      return 'Visitor';
    case 'bot':
      return 'Bot';
    case 'agent':
      return message.agentName ?? 'Agent';
    case 'system':
      return 'Notice';
  }
}
