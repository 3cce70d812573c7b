import { EntitySchema, type Ref } from '@mikro-orm/core';
import type { ConversationMode } from '../../../socket/events';
import { ConversationModes, LanguageTagMaxLength } from '../../../api/chat.schema';
import { TenantScopedSchema, type TenantScoped, type TenantScopedFields } from './base.entity';
import type { Chatbot } from './chatbot.entity';
import type { User } from './user.entity';

type Counters = 'messageCount' | 'lastSeq' | 'tokensIn' | 'tokensOut' | 'costUsd' | 'mode';

/** One visitor's chat with a bot; `lastSeq` is the sequence number of its newest message. */
export interface Conversation extends TenantScoped<
  | Counters
  | 'assignedAgent'
  | 'lastMessageAt'
  | 'handoffRequestedAt'
  | 'leadRequestedAt'
  | 'leadDeclinedAt'
  | 'closedAt'
  | 'visitorLanguage'
> {
  bot: Ref<Chatbot>;
  visitorId: string;
  visitorIp: string | null;
  userAgent: string | null;
  referrer: string | null;
  /** The visitor's browser language, a canonical BCP 47 tag; null when it gave none that is valid. */
  visitorLanguage: string | null;
  mode: ConversationMode;
  /** The agent who took the chat over. No cascade: removing a user releases it in the users service. */
  assignedAgent: Ref<User> | null;
  messageCount: number;
  lastSeq: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  lastMessageAt: Date | null;
  handoffRequestedAt: Date | null;
  leadRequestedAt: Date | null;
  leadDeclinedAt: Date | null;
  closedAt: Date | null;
}

const zero = () => 0;

export const Conversation = new EntitySchema<Conversation, TenantScopedFields>({
  name: 'Conversation',
  tableName: 'conversations',
  extends: TenantScopedSchema,
  properties: {
    bot: { kind: 'm:1', updateRule: 'no action', entity: 'Chatbot', ref: true, deleteRule: 'cascade' },
    visitorId: { type: 'string', length: 64 },
    visitorIp: { type: 'string', length: 64, nullable: true },
    userAgent: { type: 'string', length: 400, nullable: true },
    referrer: { type: 'string', length: 2048, nullable: true },
    visitorLanguage: { type: 'string', length: LanguageTagMaxLength, nullable: true },
    mode: {
      enum: true,
      items: () => [...ConversationModes],
      type: 'string',
      length: 16,
      onCreate: () => 'bot',
    },
    assignedAgent: {
      kind: 'm:1',
      updateRule: 'no action',
      entity: 'User',
      ref: true,
      nullable: true,
      deleteRule: 'no action',
    },
    messageCount: { type: 'integer', onCreate: zero },
    lastSeq: { type: 'integer', onCreate: zero },
    tokensIn: { type: 'integer', onCreate: zero },
    tokensOut: { type: 'integer', onCreate: zero },
    costUsd: { type: 'double', onCreate: zero },
    lastMessageAt: { type: 'Date', nullable: true },
    handoffRequestedAt: { type: 'Date', nullable: true },
    leadRequestedAt: { type: 'Date', nullable: true },
    leadDeclinedAt: { type: 'Date', nullable: true },
    closedAt: { type: 'Date', nullable: true },
  },
  indexes: [
    { properties: ['bot', 'lastMessageAt'] },
    { properties: ['tenant', 'mode', 'lastMessageAt'] },
    { properties: ['tenant', 'createdAt'] },
  ],
});
