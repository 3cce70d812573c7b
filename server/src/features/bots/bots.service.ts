import {
  botDefaults,
  type BotView,
  type BotsResponse,
  type CreateBotInput,
  type ListBotsQuery,
  type UpdateBotInput,
} from '@chatbot/shared';
import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import {
  Chatbot,
  Document,
  Lead,
  type BlobStorage,
  type EmbeddingSpec,
  type SecretBox,
  type VectorStore,
} from '@chatbot/shared/platform';
import { containsText } from '../../http/contains-text';
import { findPage } from '../../http/find-page';
import { notFound, validationFailed } from '../../http/http-error';
import { avatarKey } from './bot-avatars';
import { presentBot } from './bots.presenter';

/** The embedding model new bots index with; the knowledge pipeline reads it from the bot. */
export const DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small';

const nestedSettings = ['appearance', 'rateLimits', 'leadCapture', 'handoff', 'retrieval'] as const;

/** Bots of the caller's tenant (the tenant filter scopes every query here). */
export class BotsService {
  constructor(
    private readonly secretBox: SecretBox,
    private readonly vectors: VectorStore,
    private readonly storage: BlobStorage,
    /** The embedding model a bot will index with, given its own key (or none). */
    private readonly embeddingFor: (botApiKey: string | null) => EmbeddingSpec,
    /** Drops the cached public configuration of a changed bot, on every node. */
    private readonly invalidate: (botId: string) => Promise<void>,
  ) {}

  async list(em: EntityManager, query: ListBotsQuery): Promise<BotsResponse> {
    const where: FilterQuery<Chatbot> = {};
    if (query.status) where.status = query.status;
    if (query.search) Object.assign(where, containsText('name', query.search));
    const [bots, total] = await findPage(em, Chatbot, where, query);
    return { chatbots: bots.map(presentBot), total };
  }

  async get(em: EntityManager, id: string): Promise<BotView> {
    return presentBot(await this.find(em, id));
  }

  async create(em: EntityManager, input: CreateBotInput): Promise<BotView> {
    const { openaiApiKey, ...settings } = input;
    const bot = em.create(Chatbot, {
      ...botDefaults,
      ...settings,
      ...Object.fromEntries(nestedSettings.map((key) => [key, { ...botDefaults[key], ...settings[key] }])),
      embeddingModel: DEFAULT_EMBEDDING_MODEL,
    } as Chatbot);
    assertChunkRange(bot);
    if (openaiApiKey) this.setApiKey(bot, openaiApiKey);
    // The collection first: if Chroma is down the bot is not created; if the record fails, no orphan stays.
    const embedding = this.embeddingFor(openaiApiKey ?? null);
    bot.embeddingModel = embedding.model;
    await this.vectors.ensureCollection(bot.id, embedding);
    await em.flush().catch(async (error: unknown) => {
      await this.vectors.deleteCollection(bot.id);
      throw error;
    });
    return presentBot(bot);
  }

  async update(em: EntityManager, id: string, input: UpdateBotInput): Promise<BotView> {
    const bot = await this.find(em, id);
    const { openaiApiKey, ...changes } = input;
    // An uploaded avatar the bot no longer points at is deleted (a new upload replaces it in place).
    const newAvatar = changes.appearance?.avatarUrl;
    const dropsAvatar = newAvatar !== undefined && newAvatar !== bot.appearance.avatarUrl;
    for (const key of nestedSettings) {
      if (changes[key]) bot[key] = { ...bot[key], ...changes[key] } as never;
      delete changes[key];
    }
    em.assign(bot, changes);
    assertChunkRange(bot);
    if (openaiApiKey !== undefined) this.setApiKey(bot, openaiApiKey);
    await em.flush();
    await this.invalidate(bot.id);
    if (dropsAvatar) await this.storage.delete(avatarKey(bot.tenant.id, bot.id));
    return presentBot(bot);
  }

  /**
   * Deletes the bot with its vectors, then its documents, conversations, messages, leads and usage in one
   * transaction, then the originals of its documents and its avatar. Each step can be repeated if a later
   * one fails.
   */
  async remove(em: EntityManager, id: string): Promise<void> {
    const bot = await this.find(em, id);
    const blobs = await em.find(
      Document,
      { bot: bot.id, storageKey: { $ne: null } },
      { fields: ['storageKey'] },
    );
    await this.vectors.deleteCollection(bot.id);
    await em.transactional(async (tx) => {
      // Leads reference the bot without a cascade (SQL Server allows one cascade path); the rest cascades.
      await tx.nativeDelete(Lead, { bot: bot.id });
      await tx.nativeDelete(Chatbot, { id: bot.id });
    });
    await this.invalidate(bot.id);
    await Promise.all([
      ...blobs.map((document) => this.storage.delete(document.storageKey!)),
      this.storage.delete(avatarKey(bot.tenant.id, bot.id)),
    ]);
  }

  private async find(em: EntityManager, id: string): Promise<Chatbot> {
    const bot = await em.findOne(Chatbot, id);
    if (!bot) throw notFound('Chatbot');
    return bot;
  }

  private setApiKey(bot: Chatbot, apiKey: string | null) {
    bot.openaiApiKeySealed = apiKey ? this.secretBox.encrypt(apiKey, `chatbot:${bot.id}:openaiApiKey`) : null;
    bot.openaiApiKeyLast4 = apiKey ? apiKey.slice(-4) : null;
  }
}

/** Chunk sizes are checked after merging with what is stored, since a PATCH may send one of them alone. */
function assertChunkRange(bot: Chatbot) {
  const { chunkMinTokens, chunkMaxTokens, chunkOverlapTokens } = bot.retrieval;
  const problem =
    chunkMinTokens > chunkMaxTokens
      ? 'chunkMinTokens must not exceed chunkMaxTokens'
      : chunkOverlapTokens >= chunkMinTokens
        ? 'chunkOverlapTokens must be smaller than chunkMinTokens'
        : null;
  if (problem) throw validationFailed([{ location: 'body', path: 'retrieval', message: problem }]);
}
