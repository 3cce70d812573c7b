import { createHash } from 'node:crypto';
import type { BotView } from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { Chatbot, type BlobStorage } from '@chatbot/shared/platform';
import { HttpError, notFound, validationFailed } from '../../http/http-error';
import type { BotConfigs } from '../chat/bot-configs';
import { presentBot } from './bots.presenter';
import { imageTypeOf, type AvatarType } from './image-type';

/** Where a bot's avatar is kept: one key per bot, beside its documents, so a new one replaces the old. */
export function avatarKey(tenantId: string, botId: string): string {
  return `tenants/${tenantId}/bots/${botId}/avatar`;
}

/** The path the avatar is served at, publicly (sites that embed the bot show it). */
export const avatarPath = (botId: string) => `/api/public/bot/${botId}/avatar`;

/** Bots' avatars: uploaded by the tenant's managers, stored in the platform's blob storage, served to anyone. */
export class BotAvatars {
  constructor(
    private readonly storage: BlobStorage,
    private readonly bots: BotConfigs,
    /** Drops the cached public configuration of a changed bot, on every node. */
    private readonly invalidate: (botId: string) => Promise<void>,
    /** The platform's public address when it is configured (PUBLIC_URL); else each request's own origin. */
    private readonly publicUrl: string | undefined,
  ) {}

  /**
   * Makes `image` the bot's avatar: checked by its bytes, stored under the bot's one avatar key (so the
   * old one is gone), and the bot's appearance pointed at its public URL, versioned by its content so
   * browsers and caches fetch the new one at once.
   */
  async upload(
    em: EntityManager,
    botId: string,
    image: { buffer: Buffer } | undefined,
    requestOrigin: string,
  ): Promise<BotView> {
    const bot = await em.findOne(Chatbot, botId);
    if (!bot) throw notFound('Chatbot');
    if (!image) {
      throw validationFailed([{ location: 'body', path: 'file', message: 'attach one image as "file"' }]);
    }
    if (!imageTypeOf(image.buffer)) {
      throw new HttpError(
        415,
        'unsupported_media_type',
        'The avatar must be a PNG, JPEG, WebP or GIF image.',
      );
    }
    await this.storage.put(avatarKey(bot.tenant.id, bot.id), image.buffer);
    const version = createHash('sha256').update(image.buffer).digest('hex').slice(0, 12);
    const base = (this.publicUrl ?? requestOrigin).replace(/\/+$/, '');
    bot.appearance = { ...bot.appearance, avatarUrl: `${base}${avatarPath(bot.id)}?v=${version}` };
    await em.flush();
    await this.invalidate(bot.id);
    return presentBot(bot);
  }

  /** The avatar of a bot, draft or published (the dashboard's preview shows drafts), with its type. */
  async read(botId: string): Promise<{ bytes: Buffer; type: AvatarType }> {
    const bot = await this.bots.get(botId);
    const key = bot && avatarKey(bot.tenantId, bot.id);
    if (!key || !(await this.storage.exists(key))) throw notFound('Avatar');
    const bytes = await this.storage.get(key);
    // Only images that passed the upload's check are stored; the type is read again, not stored.
    const type = imageTypeOf(bytes);
    if (!type) throw notFound('Avatar');
    return { bytes, type };
  }
}
