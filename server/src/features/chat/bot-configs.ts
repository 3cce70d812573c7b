import type { BotView } from '@chatbot/shared';
import type { MikroORM } from '@mikro-orm/core';
import { Chatbot, runAsSystem, type Cache, type SecretBox } from '@chatbot/shared/platform';
import { presentBot } from '../bots/bots.presenter';

/** What answering a visitor needs of a bot; cached, so a chat message costs no bot query. */
export interface BotConfig extends BotView {
  tenantId: string;
  /** Still sealed: it is opened only at the moment a model is called. */
  openaiApiKeySealed: string | null;
}

/** The plan's one hour: every change through the API invalidates the entry at once anyway. */
const ttlSeconds = 3600;
const keyOf = (botId: string) => `bot-config:${botId}`;

/** Bot configuration for the public side (widget, public REST, the chat engine), read through the cache. */
export class BotConfigs {
  constructor(
    private readonly orm: MikroORM,
    private readonly cache: Cache,
  ) {}

  /** The bot, or null if there is none with this id (of any tenant: the id is all a visitor knows). */
  async get(botId: string): Promise<BotConfig | null> {
    const cached = await this.cache.get<BotConfig>(keyOf(botId));
    if (cached) return cached;
    const bot = await runAsSystem('public bot lookup by id', () =>
      this.orm.em.fork().findOne(Chatbot, botId, { populate: ['openaiApiKeySealed'] }),
    );
    if (!bot) return null;
    const config: BotConfig = {
      ...presentBot(bot),
      tenantId: bot.tenant.id,
      openaiApiKeySealed: bot.openaiApiKeySealed ?? null,
    };
    await this.cache.set(keyOf(botId), config, ttlSeconds);
    return config;
  }

  /** Called after every change to a bot, so no node answers with the old settings. */
  invalidate(botId: string): Promise<void> {
    return this.cache.delete(keyOf(botId));
  }
}

/** The OpenAI key a bot answers with: its own (opened now), else the platform's, else none (offline). */
export function botApiKey(
  secretBox: SecretBox,
  bot: BotConfig,
  platformKey: string | undefined,
): string | null {
  if (bot.openaiApiKeySealed) {
    return secretBox.decrypt(bot.openaiApiKeySealed, `chatbot:${bot.id}:openaiApiKey`);
  }
  return platformKey ?? null;
}
