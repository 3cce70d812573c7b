import { EntitySchema, type Ref } from '@mikro-orm/core';
import { TenantScopedSchema, type TenantScoped, type TenantScopedFields } from './base.entity';
import type { Chatbot } from './chatbot.entity';

type Counter =
  'conversations' | 'messages' | 'tokensIn' | 'tokensOut' | 'costUsd' | 'leads' | 'unanswered' | 'handoffs';

/** The roll-up of one bot's usage on one UTC day (`YYYY-MM-DD`), which analytics read instead of messages. */
export interface UsageDaily extends TenantScoped<Counter> {
  bot: Ref<Chatbot>;
  day: string;
  conversations: number;
  messages: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  leads: number;
  /** Questions the documents did not answer. */
  unanswered: number;
  /** Visitors who asked for a person. */
  handoffs: number;
}

const zero = () => 0;

export const UsageDaily = new EntitySchema<UsageDaily, TenantScopedFields>({
  name: 'UsageDaily',
  tableName: 'usage_daily',
  extends: TenantScopedSchema,
  properties: {
    bot: { kind: 'm:1', updateRule: 'no action', entity: 'Chatbot', ref: true, deleteRule: 'cascade' },
    day: { type: 'string', length: 10 },
    conversations: { type: 'integer', onCreate: zero },
    messages: { type: 'integer', onCreate: zero },
    tokensIn: { type: 'integer', onCreate: zero },
    tokensOut: { type: 'integer', onCreate: zero },
    costUsd: { type: 'double', onCreate: zero },
    leads: { type: 'integer', onCreate: zero },
    unanswered: { type: 'integer', default: 0, onCreate: zero },
    handoffs: { type: 'integer', default: 0, onCreate: zero },
  },
  uniques: [{ properties: ['bot', 'day'] }],
  indexes: [{ properties: ['tenant', 'day'] }],
});
