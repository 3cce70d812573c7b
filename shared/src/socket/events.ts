/**
 * The Socket.IO contract, typed once: `new Server<…>` on the server and `Socket<…>` in the widget and the
 * dashboard use these maps. Events are named `domain:verb`. Payloads a client sends are validated on the
 * server with the zod schemas of `api/chat.schema.ts`.
 */
import type { ErrorCode } from '../errors';

export type AckResponse<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: ErrorCode; message: string; retryAfterSeconds?: number } };

export type Ack<T> = (response: AckResponse<T>) => void;

export type MessageRole = 'visitor' | 'bot' | 'agent' | 'system';
/** `bot`: the bot answers; `human`: an agent has taken over; `closed`: nobody answers any more. */
export type ConversationMode = 'bot' | 'human' | 'closed';
/** `streaming` while an answer is still being written; `failed` if it could not be finished. */
export type MessageState = 'streaming' | 'complete' | 'failed';
export type DocumentStatus = 'pending' | 'processing' | 'completed' | 'failed';

/** A passage an answer cites. */
export interface SourceRef {
  /** The number the answer cites, as in [1]. */
  index: number;
  documentId: string;
  title: string;
  url?: string;
  page?: number;
  /** The section it comes from, as "Guide > Installation". */
  heading?: string;
  chunkIndex: number;
  /** The start of the cited passage, for a tooltip. */
  snippet: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface ChatMessage {
  id: string;
  conversationId: string;
  /** Orders the conversation's messages, from 1; a reconnecting client asks for those after its last. */
  seq: number;
  role: MessageRole;
  content: string;
  state: MessageState;
  sources: SourceRef[];
  agentName?: string;
  /** The client's id for a message it sent (so it can match its optimistic copy), else the server's. */
  clientMessageId: string;
  createdAt: string;
  /** Dashboard views only: why the bot could not answer as configured (a rejected key, an outage). */
  error?: string | null;
  /**
   * Present (true) when the documents did not answer: on the visitor's question, and on the bot's reply
   * saying so, under which the widget offers a person or the lead form (as the bot allows).
   */
  unanswered?: true;
}

/** A piece of an answer being streamed; `offset` is where it starts in the message's content. */
export interface MessageDelta {
  conversationId: string;
  messageId: string;
  offset: number;
  delta: string;
}

export interface MessageDone {
  conversationId: string;
  messageId: string;
  content: string;
  state: MessageState;
  sources: SourceRef[];
  usage: TokenUsage;
  /** As on {@link ChatMessage}. */
  unanswered?: true;
}

export interface TypingEvent {
  conversationId: string;
  role: MessageRole;
  isTyping: boolean;
}

/** The conversation as a client needs it after joining. */
export interface ConversationState {
  conversationId: string;
  mode: ConversationMode;
  agentName: string | null;
  /** Set while the visitor waits for an agent. */
  handoffRequestedAt: string | null;
}

/** Events of the `/widget` namespace, sent by the visitor's browser. */
export interface WidgetClientToServerEvents {
  /** Joins the conversation's room and returns the messages after `sinceSeq` (all when absent). */
  'conversation:join': (
    payload: { conversationId: string; sinceSeq?: number },
    ack: Ack<ConversationState & { messages: ChatMessage[] }>,
  ) => void;
  /** Idempotent on `clientMessageId`: sending the same message again returns the first one. */
  'message:send': (
    payload: { conversationId: string; text: string; clientMessageId: string },
    ack: Ack<{ messageId: string; seq: number }>,
  ) => void;
  typing: (payload: { conversationId: string; isTyping: boolean }) => void;
  /** The visitor asks for a person. */
  'handoff:request': (payload: { conversationId: string }, ack: Ack<ConversationState>) => void;
  /** Leaves contact details, as `POST …/capture-lead` does (same rules): one lead per conversation. */
  'lead:capture': (
    payload: {
      conversationId: string;
      email: string;
      name?: string;
      phone?: string;
      company?: string;
      consent?: boolean;
    },
    ack: Ack<{ leadId: string; created: boolean }>,
  ) => void;
  /** The visitor turned down the lead form the server asked for: it is never asked again in this conversation. */
  'lead:decline': (payload: { conversationId: string }, ack: Ack<{ conversationId: string }>) => void;
}

/** Events of the `/widget` namespace, sent by the server. */
export interface WidgetServerToClientEvents {
  'message:new': (message: ChatMessage) => void;
  'message:delta': (payload: MessageDelta) => void;
  'message:done': (payload: MessageDone) => void;
  typing: (payload: TypingEvent) => void;
  'agent:joined': (payload: { conversationId: string; agentName: string }) => void;
  'agent:left': (payload: { conversationId: string }) => void;
  'conversation:closed': (payload: { conversationId: string }) => void;
  'lead:request': (payload: { conversationId: string }) => void;
  /** The bot's settings changed: fetch its public configuration again (colours, welcome message…). */
  'bot:updated': (payload: { botId: string }) => void;
  error: (payload: { code: ErrorCode; message: string; retryAfterSeconds?: number }) => void;
}

/** A row of the live inbox. */
export interface ConversationSummary {
  id: string;
  botId: string;
  mode: ConversationMode;
  visitorId: string;
  messageCount: number;
  lastMessageAt: string | null;
  handoffRequestedAt: string | null;
  assignedAgentId: string | null;
  assignedAgentName: string | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  createdAt: string;
  closedAt: string | null;
}

/** A figure of the account the admin assistant looked up: the tool it ran and what it returned. */
export interface AssistantToolCall {
  name: string;
  /** The tool's figures, or `{ error }` when it refused the call (an unknown bot, bad arguments). */
  result: Record<string, unknown>;
}

/** A piece of the admin assistant's answer; `offset` is where it starts in the answer's text. */
export interface AssistantDelta {
  messageId: string;
  offset: number;
  delta: string;
}

/** The admin assistant's whole answer; `failed` when it broke off (what was said is kept). */
export interface AssistantDone {
  messageId: string;
  content: string;
  sources: SourceRef[];
  toolCalls: AssistantToolCall[];
  state: 'complete' | 'failed';
}

/** Events of the `/admin` namespace, sent by the dashboard. */
export interface AdminClientToServerEvents {
  /** Follows one conversation live (deltas, typing) and returns its messages after `sinceSeq`. */
  'conversation:watch': (
    payload: { conversationId: string; sinceSeq?: number },
    ack: Ack<{ conversation: ConversationSummary; messages: ChatMessage[] }>,
  ) => void;
  /** Stops following it; the ack says it is done (deltas may still be on their way until then). */
  'conversation:unwatch': (payload: { conversationId: string }, ack: Ack<{ conversationId: string }>) => void;
  'conversation:takeover': (
    payload: { conversationId: string },
    ack: Ack<{ conversation: ConversationSummary }>,
  ) => void;
  'conversation:release': (
    payload: { conversationId: string },
    ack: Ack<{ conversation: ConversationSummary }>,
  ) => void;
  'conversation:close': (
    payload: { conversationId: string },
    ack: Ack<{ conversation: ConversationSummary }>,
  ) => void;
  /** An agent's message; only the agent who took the conversation over may send. */
  'message:send': (
    payload: { conversationId: string; text: string; clientMessageId: string },
    ack: Ack<{ messageId: string; seq: number }>,
  ) => void;
  typing: (payload: { conversationId: string; isTyping: boolean }) => void;
  /** Asks the admin assistant; the answer streams to this socket only (`assistant:delta`, `assistant:done`). */
  'assistant:ask': (
    payload: { question: string; clientMessageId: string },
    ack: Ack<{ messageId: string }>,
  ) => void;
}

/** Events of the `/admin` namespace, sent by the server. */
export interface AdminServerToClientEvents {
  /** Every new message of the tenant (the inbox); watchers of its conversation get it too. */
  'message:new': (message: ChatMessage) => void;
  /** To watchers of the conversation only. */
  'message:delta': (payload: MessageDelta) => void;
  'message:done': (payload: MessageDone) => void;
  /** A conversation started, changed mode, or was assigned: the inbox row as it is now. */
  'conversation:updated': (conversation: ConversationSummary) => void;
  /** The conversation was deleted (GDPR): views showing it drop it. */
  'conversation:deleted': (payload: { conversationId: string }) => void;
  /** A visitor waits for a person: every online agent of the tenant is told. */
  'handoff:requested': (payload: { conversationId: string; botId: string }) => void;
  'document:status': (payload: {
    documentId: string;
    status: DocumentStatus;
    progress: number;
    chunkCount: number;
    error: string | null;
  }) => void;
  'lead:new': (payload: { leadId: string; botId: string; conversationId: string }) => void;
  typing: (payload: TypingEvent) => void;
  /** The platform disabled a webhook that kept failing; it stays off until someone enables it again. */
  'webhook:disabled': (payload: { webhookId: string; reason: string }) => void;
  /** The admin assistant's answer, to the socket that asked only. */
  'assistant:delta': (payload: AssistantDelta) => void;
  'assistant:done': (payload: AssistantDone) => void;
  error: (payload: { code: ErrorCode; message: string; retryAfterSeconds?: number }) => void;
}

/** Between server nodes (through the Redis adapter). */
export interface InterServerEvents {
  /** The text so far of answers this node is streaming, by message id (those it is not streaming are left out). */
  'answer:content': (messageIds: string[], reply: (contents: Record<string, string>) => void) => void;
  /** Stop the bot's answer in this conversation, if this node is writing one (a person took over). */
  'answer:stop': (conversationId: string) => void;
}

/** What the handshake resolves and keeps on `socket.data`. */
export interface SocketData {
  tenantId: string;
  botId?: string;
  conversationId?: string;
  visitorId?: string;
  /** A visitor socket of the dashboard's live preview (see VisitorClaims.preview). */
  preview?: boolean;
  userId?: string;
  userName?: string;
  /** The sign-in session of a dashboard socket, dropped when the session ends. */
  sessionId?: string;
}
