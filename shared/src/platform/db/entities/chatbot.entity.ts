import { EntitySchema } from '@mikro-orm/core';
import { BotStatuses, type BotStatus, type BotView } from '../../../api/chatbots.schema';
import { TenantScopedSchema, type TenantScoped, type TenantScopedFields } from './base.entity';
import { LongTextType } from '../long-text.type';

export interface Chatbot extends TenantScoped<
  'openaiApiKeySealed' | 'openaiApiKeyLast4' | 'offlineFallback'
> {
  name: string;
  description: string;
  status: BotStatus;
  instructions: string;
  model: string;
  temperature: number;
  /** The bot's own OpenAI key, sealed by SecretBox with the context `chatbot:<id>:openaiApiKey`. */
  openaiApiKeySealed: string | null;
  openaiApiKeyLast4: string | null;
  /** Answer with the offline extractive answerer when the model fails (bad key, spent quota, outage). */
  offlineFallback: boolean;
  welcomeMessage: string;
  appearance: BotView['appearance'];
  allowedOrigins: string[];
  rateLimits: BotView['rateLimits'];
  leadCapture: BotView['leadCapture'];
  handoff: BotView['handoff'];
  retrieval: BotView['retrieval'];
  /** The embedding model that filled the bot's vector collection; changing it re-indexes the documents. */
  embeddingModel: string;
}

export const Chatbot = new EntitySchema<Chatbot, TenantScopedFields>({
  name: 'Chatbot',
  tableName: 'chatbots',
  extends: TenantScopedSchema,
  properties: {
    name: { type: 'string', length: 120 },
    description: { type: LongTextType },
    status: { enum: true, items: () => [...BotStatuses], type: 'string', length: 16 },
    instructions: { type: LongTextType },
    model: { type: 'string', length: 100 },
    temperature: { type: 'double' },
    openaiApiKeySealed: {
      type: LongTextType,
      nullable: true,
      hidden: true,
      lazy: true,
      onCreate: () => null,
    },
    openaiApiKeyLast4: { type: 'string', length: 4, nullable: true, onCreate: () => null },
    offlineFallback: { type: 'boolean', default: true, onCreate: () => true },
    welcomeMessage: { type: LongTextType },
    appearance: { type: 'json' },
    allowedOrigins: { type: 'json' },
    rateLimits: { type: 'json' },
    leadCapture: { type: 'json' },
    handoff: { type: 'json' },
    retrieval: { type: 'json' },
    embeddingModel: { type: 'string', length: 100 },
  },
  indexes: [{ properties: ['tenant', 'status'] }, { properties: ['tenant', 'createdAt'] }],
});
