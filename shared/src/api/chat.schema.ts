import { z } from 'zod';
import { ChatLimits } from '../limits';
import { idSchema, pageQuerySchema } from './common.schema';
import type { BotView } from './chatbots.schema';
import type { VisitorErasure } from './privacy.schema';
import type {
  ChatMessage,
  ConversationMode,
  ConversationSummary,
  MessageRole,
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

/** The longest language tag kept: RFC 5646's bound for a tag without extensions. */
export const LanguageTagMaxLength = 35;

/** A BCP 47 language tag in its canonical form (`en-gb` → `en-GB`), or null for anything else. */
export function canonicalLanguageTag(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > LanguageTagMaxLength) return null;
  try {
    const [tag] = Intl.getCanonicalLocales(value.trim());
    return tag && tag.length <= LanguageTagMaxLength ? tag : null;
  } catch {
    return null;
  }
}

/** A BCP 47 language tag of at most {@link LanguageTagMaxLength} characters, given back canonical. */
export const languageTagSchema = z.string().transform((value, ctx) => {
  const tag = canonicalLanguageTag(value);
  if (tag) return tag;
  ctx.addIssue({
    code: 'custom',
    message: `must be a BCP 47 language tag of at most ${LanguageTagMaxLength} characters`,
  });
  return z.NEVER;
});

/** A language tag as people read it: "Swiss French (fr-CH)", or the tag alone when it has no English name. */
export function languageLabel(tag: string): string {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(tag);
    return name && name !== tag ? `${name} (${tag})` : tag;
  } catch {
    return tag;
  }
}

/**
 * `POST /api/public/conversation/:botId/start`: where the chat was opened and the browser's language
 * (`navigator.language`), for the admin's context. A language that is not a valid tag is dropped rather
 * than refused: whatever a browser says, the visitor's chat starts.
 */
export const startConversationSchema = z
  .object({
    referrer: z.string().max(2048).optional(),
    language: languageTagSchema.optional().catch(undefined),
  })
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
    /** Only conversations not closed (`true`) or only closed ones (`false`). */
    open: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional(),
    /** Started at or after (`from`), at or before (`to`). */
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    /** Only conversations with a message (or their start) at or after this time. */
    activeSince: z.iso.datetime({ offset: true }).optional(),
    /** Text found in any message or in the visitor's email or name (from a lead), case-insensitively. */
    search: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type ListConversationsQuery = z.infer<typeof listConversationsQuerySchema>;

/** Who the visitor said they are, when they left their details. */
export interface ConversationLead {
  id: string;
  name: string | null;
  email: string;
}

/** A row of the conversation table and the inbox: the summary with its bot, its visitor's lead and its last line. */
export interface ConversationListItem extends ConversationSummary {
  botName: string;
  lead: ConversationLead | null;
  /** The newest message, its text cut to {@link ConversationPreviewLength} characters. */
  lastMessage: { id: string; seq: number; role: MessageRole; content: string } | null;
}

/** Characters of the newest message a row shows. */
export const ConversationPreviewLength = 140;

export interface ConversationsResponse {
  conversations: ConversationListItem[];
  total: number;
}

export interface ConversationDetail {
  conversation: ConversationListItem & {
    visitorIp: string | null;
    userAgent: string | null;
    referrer: string | null;
    /** The visitor's language (a canonical BCP 47 tag), as their browser gave it at the start. */
    visitorLanguage: string | null;
  };
  messages: ChatMessage[];
}

/** A conversation counts as active while it is open and had a message (or began) this recently. */
export const ActiveConversationMinutes = 10;

/** `GET /api/conversations/live`: the tenant's traffic right now, for the overview. */
export interface LiveCounts {
  /** Distinct visitors with the widget connected now, on any server node, to any of the tenant's bots. */
  visitorsOnline: number;
  /** Conversations not closed with a message in the last {@link ActiveConversationMinutes} minutes. */
  activeConversations: number;
}

/** `DELETE /api/conversations/:id` (GDPR): what was removed with the conversation, counted as an erasure is. */
export type ConversationDeletion = VisitorErasure;

/** `POST /api/conversations/:id/messages`: an agent's message over REST. */
export const agentMessageSchema = z
  .object({ text: messageTextSchema, clientMessageId: clientMessageIdSchema.optional() })
  .strict();

/**
 * Where a conversation stands, as the table and the inbox show it: `waiting` for a person, with an agent
 * (`human`), `active` with the bot (a message in the last {@link ActiveConversationMinutes} minutes),
 * `idle` (open, but quiet since) or `closed`.
 */
export type ConversationStatus = 'waiting' | 'human' | 'active' | 'idle' | 'closed';

export function conversationStatus(
  conversation: Pick<ConversationSummary, 'mode' | 'handoffRequestedAt' | 'lastMessageAt' | 'createdAt'>,
  now = Date.now(),
): ConversationStatus {
  if (conversation.mode === 'closed') return 'closed';
  if (conversation.mode === 'human') return 'human';
  if (conversation.handoffRequestedAt) return 'waiting';
  const last = Date.parse(conversation.lastMessageAt ?? conversation.createdAt);
  return now - last <= ActiveConversationMinutes * 60_000 ? 'active' : 'idle';
}

/** From the start to the close, or to the last message while it is open. */
export function conversationDurationMs(
  conversation: Pick<ConversationSummary, 'createdAt' | 'lastMessageAt' | 'closedAt'>,
): number {
  const end = conversation.closedAt ?? conversation.lastMessageAt ?? conversation.createdAt;
  return Math.max(0, Date.parse(end) - Date.parse(conversation.createdAt));
}

/** A duration as people say it: "45 s", "12 min", "2 h 5 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
