import { EntitySchema, type Ref } from '@mikro-orm/core';
import type { MessageRole, MessageState, SourceRef } from '../../../socket/events';
import { TenantScopedSchema, type TenantScoped, type TenantScopedFields } from './base.entity';
import { LongTextType } from '../long-text.type';
import type { Conversation } from './conversation.entity';
import type { User } from './user.entity';

const MessageRoles: MessageRole[] = ['visitor', 'bot', 'agent', 'system'];

/**
 * One message of a conversation. `seq` orders messages and lets a reconnecting client ask for what it
 * missed; `clientMessageId` makes a resent message a no-op (the server generates one for its own messages,
 * so the column is never null: SQL Server's unique indexes admit a single NULL).
 */
export interface Message extends TenantScoped<
  'sources' | 'state' | 'agent' | 'model' | 'tokensIn' | 'tokensOut' | 'costUsd' | 'error' | 'unanswered'
> {
  conversation: Ref<Conversation>;
  seq: number;
  clientMessageId: string;
  role: MessageRole;
  content: string;
  sources: SourceRef[];
  /** `streaming` while an answer is still being written, so a reconnect can tell a partial answer. */
  state: MessageState;
  agent: Ref<User> | null;
  model: string | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  /** Why the bot could not answer as configured (a rejected key, a provider down), for the admin only. */
  error: string | null;
  /**
   * The documents did not answer: set on the visitor's question (what the analytics list for tenants to
   * add to their knowledge base) and on the bot's reply saying so (where the widget offers a person).
   */
  unanswered: boolean;
}

const zero = () => 0;

export const Message = new EntitySchema<Message, TenantScopedFields>({
  name: 'Message',
  tableName: 'messages',
  extends: TenantScopedSchema,
  properties: {
    conversation: {
      kind: 'm:1',
      updateRule: 'no action',
      entity: 'Conversation',
      ref: true,
      deleteRule: 'cascade',
    },
    seq: { type: 'integer' },
    clientMessageId: { type: 'string', length: 64 },
    role: { enum: true, items: () => MessageRoles, type: 'string', length: 16 },
    content: { type: LongTextType },
    sources: { type: 'json', onCreate: () => [] },
    state: {
      enum: true,
      items: () => ['streaming', 'complete', 'failed'],
      type: 'string',
      length: 16,
      onCreate: () => 'complete',
    },
    agent: {
      kind: 'm:1',
      updateRule: 'no action',
      entity: 'User',
      ref: true,
      nullable: true,
      deleteRule: 'no action',
    },
    model: { type: 'string', length: 100, nullable: true },
    tokensIn: { type: 'integer', onCreate: zero },
    tokensOut: { type: 'integer', onCreate: zero },
    costUsd: { type: 'double', onCreate: zero },
    error: { type: LongTextType, nullable: true, onCreate: () => null },
    unanswered: { type: 'boolean', default: false, onCreate: () => false },
  },
  uniques: [{ properties: ['conversation', 'seq'] }, { properties: ['conversation', 'clientMessageId'] }],
});
