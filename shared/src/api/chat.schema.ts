import { z } from 'zod';
import { ChatLimits } from '../limits';
import { idSchema, pageQuerySchema } from './common.schema';
import type { BotView } from './chatbots.schema';
import type {
  ChatMessage,
  ConversationMode,
  ConversationSummary,
  MessageState,
  SourceRef,
} from '../socket/events';

/** Text of a chat message: trimmed, not empty, within the length limit. Stored and sent as text, never HTML. */
export const messageTextSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(ChatLimits.messageMaxLength, `must be at most ${ChatLimits.messageMaxLength} characters`);

/** A client's id for its message, so a resend is recognised. */
export const clientMessageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -');

const conversationRef = { conversationId: idSchema };

export const joinConversationSchema = z
  .object({ ...conversationRef, sinceSeq: z.number().int().min(0).optional() })
  .strict();
export const sendMessageSchema = z
  .object({ ...conversationRef, text: messageTextSchema, clientMessageId: clientMessageIdSchema })
  .strict();
export const typingSchema = z.object({ ...conversationRef, isTyping: z.boolean() }).strict();
export const conversationRefSchema = z.object(conversationRef).strict();

export const botIdParamsSchema = z.object({ botId: idSchema });
export const conversationIdParamsSchema = z.object({ conversationId: idSchema });

/** `POST /api/public/conversation/:botId/start`: where the chat was opened, for the admin's context. */
export const startConversationSchema = z
  .object({ referrer: z.string().max(2048).optional() })
  .strict()
  .optional();

export interface StartConversationResponse {
  conversationId: string;
  visitorToken: string;
  /** True when the visitor token sent along named an open conversation of this bot, which goes on. */
  resumed: boolean;
  welcomeMessage: string;
}

/** `POST /api/public/chat/:botId`. */
export const publicChatSchema = z
  .object({
    conversationId: idSchema,
    message: messageTextSchema,
    clientMessageId: clientMessageIdSchema.optional(),
  })
  .strict();

export interface PublicChatResponse {
  messageId: string;
  /**
   * Null when the bot does not answer: an agent has the conversation (the agent answers over the socket),
   * the message asked for a person, or it was a resend of a message already answered.
   */
  reply: string | null;
  /** `failed` when the answer is an apology because the model failed. */
  state: MessageState | null;
  sources: SourceRef[];
}

/** What a page needs to draw the widget: no secret, nothing about the tenant. */
export type PublicBotConfig = Pick<BotView, 'id' | 'name' | 'welcomeMessage' | 'appearance'> & {
  leadCapture: { enabled: boolean };
  handoff: { enabled: boolean };
};

export const ConversationModes = ['bot', 'human', 'closed'] as const satisfies ConversationMode[];

/** `GET /api/conversations`. */
export const listConversationsQuerySchema = pageQuerySchema
  .extend({
    botId: idSchema.optional(),
    mode: z.enum(ConversationModes).optional(),
    /** Only conversations waiting for an agent. */
    waiting: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    /** Text found in the visitor's email (from a lead) or in any message, case-insensitively. */
    search: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type ListConversationsQuery = z.infer<typeof listConversationsQuerySchema>;

export interface ConversationsResponse {
  conversations: ConversationSummary[];
  total: number;
}

export interface ConversationDetail {
  conversation: ConversationSummary & {
    visitorIp: string | null;
    userAgent: string | null;
    referrer: string | null;
  };
  messages: ChatMessage[];
}

/** `POST /api/conversations/:id/messages`: an agent's message over REST. */
export const agentMessageSchema = z
  .object({ text: messageTextSchema, clientMessageId: clientMessageIdSchema.optional() })
  .strict();
