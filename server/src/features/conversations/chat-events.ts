import type {
  AdminServerToClientEvents,
  ChatMessage,
  ConversationSummary,
  MessageDelta,
  MessageDone,
  TypingEvent,
  WidgetServerToClientEvents,
} from '@chatbot/shared';

/**
 * Where conversation events go: the visitor's widget (the conversation's room in `/widget`), the agents
 * watching it (its room in `/admin`) and the tenant's inbox (the tenant's room in `/admin`). With the Redis
 * adapter a room spans every node, so the sender need not know where sockets are connected; so does a
 * count of who is connected.
 */
export interface ChatEvents {
  /** To the visitor and the tenant's inbox. */
  messageNew(tenantId: string, message: ChatMessage): void;
  /** To the visitor and the conversation's watchers. */
  messageDelta(delta: MessageDelta): void;
  /** To the visitor and the tenant's inbox (so a row shows the finished answer without watching). */
  messageDone(tenantId: string, done: MessageDone): void;
  /** A visitor typing reaches the watchers; the bot or an agent typing reaches the visitor and the watchers. */
  typing(event: TypingEvent): void;
  conversationUpdated(tenantId: string, conversation: ConversationSummary): void;
  /** To every visitor of a bot (its room in `/widget`). */
  toBot<E extends keyof WidgetServerToClientEvents>(
    botId: string,
    event: E,
    ...args: Parameters<WidgetServerToClientEvents[E]>
  ): void;
  toVisitor<E extends keyof WidgetServerToClientEvents>(
    conversationId: string,
    event: E,
    ...args: Parameters<WidgetServerToClientEvents[E]>
  ): void;
  /**
   * Distinct visitors with the widget connected now to any of the tenant's bots, on every server node
   * (a visitor with two tabs open counts once).
   */
  visitorsOnline(tenantId: string): Promise<number>;
  toTenant<E extends keyof AdminServerToClientEvents>(
    tenantId: string,
    event: E,
    ...args: Parameters<AdminServerToClientEvents[E]>
  ): void;
}
