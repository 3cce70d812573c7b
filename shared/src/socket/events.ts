/**
 * The Socket.IO contract, typed once: `new Server<…>` on the server and `Socket<…>` in the widget and the
 * dashboard use these maps. Events are named `domain:verb`.
 */
import type { ErrorCode } from '../errors';

export type Ack<T> = (
  response: { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } },
) => void;

export type MessageRole = 'visitor' | 'bot' | 'agent' | 'system';
export type ConversationMode = 'bot' | 'human' | 'closed';
export type DocumentStatus = 'pending' | 'processing' | 'completed' | 'failed';

export interface SourceRef {
  /** The number the answer cites, as in [1]. */
  index: number;
  documentId: string;
  title: string;
  url?: string;
  page?: number;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface ChatMessage {
  id: string;
  conversationId: string;
  seq: number;
  role: MessageRole;
  content: string;
  sources: SourceRef[];
  agentName?: string;
  createdAt: string;
}

/** Events of the `/widget` namespace, sent by the visitor's browser. */
export interface WidgetClientToServerEvents {
  'conversation:join': (
    payload: { conversationId: string; sinceSeq?: number },
    ack: Ack<{ messages: ChatMessage[]; mode: ConversationMode }>,
  ) => void;
  'message:send': (
    payload: { conversationId: string; text: string; clientMessageId: string },
    ack: Ack<{ messageId: string; seq: number }>,
  ) => void;
  typing: (payload: { conversationId: string; isTyping: boolean }) => void;
}

/** Events of the `/widget` namespace, sent by the server. */
export interface WidgetServerToClientEvents {
  'message:new': (message: ChatMessage) => void;
  'message:delta': (payload: { messageId: string; delta: string }) => void;
  'message:done': (payload: {
    messageId: string;
    content: string;
    sources: SourceRef[];
    usage: TokenUsage;
  }) => void;
  typing: (payload: { conversationId: string; role: MessageRole; isTyping: boolean }) => void;
  'agent:joined': (payload: { conversationId: string; agentName: string }) => void;
  'agent:left': (payload: { conversationId: string }) => void;
  'lead:request': (payload: { conversationId: string }) => void;
  error: (payload: { code: ErrorCode; message: string }) => void;
}

/** Events of the `/admin` namespace, sent by the dashboard. */
export interface AdminClientToServerEvents {
  'conversation:watch': (payload: { conversationId: string }, ack: Ack<{ messages: ChatMessage[] }>) => void;
  'conversation:takeover': (
    payload: { conversationId: string },
    ack: Ack<{ mode: ConversationMode }>,
  ) => void;
  'conversation:release': (payload: { conversationId: string }, ack: Ack<{ mode: ConversationMode }>) => void;
  'message:send': (
    payload: { conversationId: string; text: string; clientMessageId: string },
    ack: Ack<{ messageId: string; seq: number }>,
  ) => void;
  typing: (payload: { conversationId: string; isTyping: boolean }) => void;
}

/** Events of the `/admin` namespace, sent by the server. */
export interface AdminServerToClientEvents {
  'message:new': (message: ChatMessage) => void;
  'conversation:updated': (payload: {
    conversationId: string;
    botId: string;
    mode: ConversationMode;
  }) => void;
  'document:status': (payload: {
    documentId: string;
    status: DocumentStatus;
    progress: number;
    chunkCount: number;
    error: string | null;
  }) => void;
  'lead:new': (payload: { leadId: string; botId: string; conversationId: string }) => void;
  typing: (payload: { conversationId: string; role: MessageRole; isTyping: boolean }) => void;
}

export type InterServerEvents = Record<string, never>;

/** What the handshake resolves and keeps on `socket.data`. */
export interface SocketData {
  tenantId: string;
  botId?: string;
  conversationId?: string;
  userId?: string;
}
