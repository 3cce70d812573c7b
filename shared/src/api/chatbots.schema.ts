import { z } from 'zod';
import { DefaultRateLimits, DefaultTokenBudgets, Limits } from '../limits';
import { fitsColumn, pageQuerySchema } from './common.schema';
import type { PublicBotConfig, StartConversationResponse } from './chat.schema';

export const BotStatuses = ['draft', 'published'] as const;
export type BotStatus = (typeof BotStatuses)[number];

/** An origin as a browser sends it: scheme, host and optional port, nothing else. */
const originSchema = z
  .string()
  .trim()
  .max(200)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/$/, '')
      );
    } catch {
      return false;
    }
  }, 'must be an origin such as https://example.com')
  .transform((value) => value.replace(/\/$/, ''));

export const appearanceSchema = z.object({
  primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #2563eb'),
  botName: z.string().trim().min(1).max(60),
  avatarUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable(),
  position: z.enum(['bottom-right', 'bottom-left']),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or pt-BR'),
});

export const rateLimitsSchema = z.object({
  perMinute: z.number().int().min(1).max(10_000),
  perIpPerMinute: z.number().int().min(1).max(1000),
  /** Model tokens one conversation may spend; past it, the bot answers that conversation offline. */
  tokensPerConversation: z.number().int().min(1000).max(100_000_000),
  /** Model tokens the bot may spend in a day (UTC); past it, the bot answers offline until midnight. */
  tokensPerDay: z.number().int().min(1000).max(10_000_000_000),
});

export const leadCaptureSchema = z.object({
  enabled: z.boolean(),
  triggerWords: z.array(z.string().trim().min(1).max(60)).max(Limits.leadTriggerWordsMax),
});

export const handoffSchema = z.object({
  enabled: z.boolean(),
  /** How long a visitor who asked for a human waits before the bot says nobody is free. */
  waitSeconds: z.number().int().min(10).max(3600),
});

export const retrievalSchema = z.object({
  topK: z.number().int().min(1).max(20),
  chunkMinTokens: z.number().int().min(100).max(2000),
  chunkMaxTokens: z.number().int().min(200).max(4000),
  chunkOverlapTokens: z.number().int().min(0).max(500),
});

/** What a new bot starts with; every field can be changed later. */
export const botDefaults = {
  description: '',
  status: 'draft' as BotStatus,
  instructions: 'You are a helpful assistant. Answer briefly and only from the provided documents.',
  model: 'gpt-4o-mini',
  temperature: 0.2,
  offlineFallback: true,
  welcomeMessage: 'Hi! How can I help you today?',
  appearance: {
    primaryColor: '#2563eb',
    botName: 'Assistant',
    avatarUrl: null,
    position: 'bottom-right',
    language: 'en',
  } satisfies z.infer<typeof appearanceSchema>,
  allowedOrigins: [] as string[],
  rateLimits: {
    perMinute: DefaultRateLimits.botPerMinute,
    perIpPerMinute: DefaultRateLimits.ipPerMinute,
    tokensPerConversation: DefaultTokenBudgets.perConversation,
    tokensPerDay: DefaultTokenBudgets.perDay,
  } satisfies z.infer<typeof rateLimitsSchema>,
  leadCapture: {
    enabled: true,
    triggerWords: ['price', 'pricing', 'demo', 'contact', 'buy', 'quote'],
  } satisfies z.infer<typeof leadCaptureSchema>,
  handoff: { enabled: true, waitSeconds: 120 } satisfies z.infer<typeof handoffSchema>,
  retrieval: {
    topK: 5,
    chunkMinTokens: 500,
    chunkMaxTokens: 1000,
    chunkOverlapTokens: 100,
  } satisfies z.infer<typeof retrievalSchema>,
};

const botFields = {
  name: z.string().trim().min(1).max(Limits.nameMaxLength).check(fitsColumn(Limits.nameMaxLength)),
  description: z.string().trim().max(1000),
  status: z.enum(BotStatuses),
  instructions: z.string().max(Limits.botInstructionsMaxLength),
  model: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._:/-]{1,100}$/, 'must be a model name such as gpt-4o-mini'),
  temperature: z.number().min(0).max(2),
  /** Write-only. A string sets the bot's own OpenAI key, null removes it. */
  openaiApiKey: z.string().trim().min(20).max(300).nullable(),
  /** When the model fails (rejected key, spent quota, outage), answer offline from the documents instead. */
  offlineFallback: z.boolean(),
  welcomeMessage: z.string().max(1000),
  allowedOrigins: z.array(originSchema).max(Limits.allowedOriginsMax),
};

const nestedPartials = {
  appearance: appearanceSchema.partial(),
  rateLimits: rateLimitsSchema.partial(),
  leadCapture: leadCaptureSchema.partial(),
  handoff: handoffSchema.partial(),
  retrieval: retrievalSchema.partial(),
};

const chunkRangeIsSound = (input: { retrieval?: Partial<z.infer<typeof retrievalSchema>> }) => {
  const r = input.retrieval;
  if (!r?.chunkMinTokens || !r.chunkMaxTokens) return true;
  return r.chunkMinTokens <= r.chunkMaxTokens;
};
const chunkRangeError = { message: 'chunkMinTokens must not exceed chunkMaxTokens', path: ['retrieval'] };

export const createBotSchema = z
  .object({ ...botFields, ...nestedPartials })
  .partial()
  .required({ name: true })
  .strict()
  .refine(chunkRangeIsSound, chunkRangeError);
export type CreateBotInput = z.infer<typeof createBotSchema>;

export const updateBotSchema = z
  .object({ ...botFields, ...nestedPartials })
  .partial()
  .strict()
  .refine((input) => Object.keys(input).length > 0, 'send at least one field to change')
  .refine(chunkRangeIsSound, chunkRangeError);
export type UpdateBotInput = z.infer<typeof updateBotSchema>;

export const listBotsQuerySchema = pageQuerySchema
  .extend({
    status: z.enum(BotStatuses).optional(),
    search: z.string().trim().max(120).optional(),
  })
  .strict();
export type ListBotsQuery = z.infer<typeof listBotsQuerySchema>;

export interface BotView {
  id: string;
  name: string;
  description: string;
  status: BotStatus;
  instructions: string;
  model: string;
  temperature: number;
  /** The last four characters of the bot's own key, or null when it uses the platform's. */
  openaiApiKeyLast4: string | null;
  offlineFallback: boolean;
  welcomeMessage: string;
  appearance: z.infer<typeof appearanceSchema>;
  allowedOrigins: string[];
  rateLimits: z.infer<typeof rateLimitsSchema>;
  leadCapture: z.infer<typeof leadCaptureSchema>;
  handoff: z.infer<typeof handoffSchema>;
  retrieval: z.infer<typeof retrievalSchema>;
  createdAt: string;
  updatedAt: string;
}

export interface BotsResponse {
  chatbots: BotView[];
  total: number;
}

/** A bot's avatar, as `POST /api/chatbots/:id/avatar` takes it (one file, recognised by its bytes). */
export const BotAvatarLimits = {
  maxBytes: 512 * 1024,
  /** Raster images only: an SVG can carry scripts. */
  types: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'],
} as const;

/**
 * `POST /api/chatbots/:id/preview-conversation`: a conversation with the bot for the dashboard's live
 * preview, started by a signed-in member of the tenant, which works while the bot is still a draft.
 */
export type PreviewConversationResponse = StartConversationResponse;

/**
 * The `preview` property of `<chat-bot>`, which the dashboard sets (a property, never an attribute, so no
 * page's markup can turn it on): the settings being edited, shown instead of the published ones, and how
 * to start a conversation, through the dashboard's own authenticated endpoint.
 */
export interface WidgetPreview {
  config: PublicBotConfig;
  startConversation(): Promise<PreviewConversationResponse>;
}
