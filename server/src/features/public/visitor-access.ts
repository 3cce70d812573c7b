import type { Request } from 'express';
import { forbidden, notFound, unauthenticated } from '../../http/http-error';
import type { BotConfig, BotConfigs } from '../chat/bot-configs';
import type { VerifiedToken } from '../../tenancy/signed-tokens';
import { VisitorTokenError, type VisitorClaims, type VisitorTokens } from './visitor-tokens';

/**
 * Whether a page at `origin` may use the bot. An empty list allows every site; a request without an Origin
 * (a server, curl) is not a browser page embedding the bot, and is allowed: the list stops other websites,
 * while what non-browser clients may do is bounded by the rate limits.
 */
export function originAllowed(bot: BotConfig, origin: string | undefined): boolean {
  return !origin || bot.allowedOrigins.length === 0 || bot.allowedOrigins.includes(origin);
}

/** The public side of a bot: what a visitor's page may reach, checked the same for REST and sockets. */
export class VisitorAccess {
  constructor(
    readonly bots: BotConfigs,
    readonly tokens: VisitorTokens,
  ) {}

  /**
   * The published bot with this id, for a page it allows; a draft or missing bot is "not found" alike,
   * and a site outside its allowed origins is refused. A visitor holding a preview token (only the
   * dashboard's members get one) reaches a draft too, from the dashboard, which is none of the bot's sites.
   */
  async bot(
    botId: string,
    origin: string | undefined,
    visitor?: Pick<VisitorClaims, 'preview'>,
  ): Promise<BotConfig> {
    const bot = await this.bots.get(botId);
    if (visitor?.preview) {
      if (!bot) throw notFound('Chatbot');
      return bot;
    }
    if (!bot || bot.status !== 'published') throw notFound('Chatbot');
    if (!originAllowed(bot, origin)) throw forbidden('This website may not use this chatbot.');
    return bot;
  }

  /** The visitor's claims from their token, which must be of this bot when one is named. */
  async visitor(token: string | undefined, botId?: string): Promise<VerifiedToken<VisitorClaims>> {
    if (!token) throw unauthenticated('Start a conversation first: the visitor token is missing.');
    return this.tokens.verify(token, botId).catch((error: unknown) => {
      if (error instanceof VisitorTokenError) throw unauthenticated('The visitor token is not valid.');
      throw error;
    });
  }
}

export function bearerOf(req: Request): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() || undefined : undefined;
}
