import { idSchema } from '@chatbot/shared';
import { z } from 'zod';
import { SignedTokens, type VerifiedToken } from '../../tenancy/signed-tokens';

export interface VisitorClaims {
  tenantId: string;
  botId: string;
  conversationId: string;
  visitorId: string;
  /** Issued to a signed-in member for the dashboard's live preview: it opens the bot while a draft too. */
  preview?: boolean;
}

export class VisitorTokenError extends Error {
  constructor() {
    super('visitor token invalid');
  }
}

/**
 * How long a preview token lives. It opens a draft bot (and so the knowledge it answers from) from any
 * site, and a member removed from the tenant keeps the ones they hold: it must not live a visitor's 30
 * days. An hour is a long preview; past it the dashboard starts a new one.
 */
export const PREVIEW_TOKEN_TTL_SECONDS = 3600;

const visitorClaimsSchema = z
  .object({
    sub: z.string().min(1).max(64),
    tid: idSchema,
    bid: idSchema,
    cid: idSchema,
    pv: z.literal('1').optional(),
  })
  .transform(({ sub, tid, bid, cid, pv }): VisitorClaims => ({
    tenantId: tid,
    botId: bid,
    conversationId: cid,
    visitorId: sub,
    ...(pv ? { preview: true } : {}),
  }));

/**
 * The visitor's credential, issued when a conversation starts: it names one bot and one conversation and
 * opens nothing else. Long-lived (a visitor comes back days later to the same chat) because it guards
 * only that conversation; starting again with it resumes the chat and renews it. Its own audience and
 * type: a visitor token is never accepted as a dashboard token, nor the reverse.
 */
export class VisitorTokens {
  private readonly tokens: SignedTokens<VisitorClaims>;

  constructor(secret: string, ttlSeconds: number) {
    this.tokens = new SignedTokens(
      secret,
      { audience: 'chatbot-platform:widget', type: 'vt+jwt', claims: visitorClaimsSchema },
      ttlSeconds,
    );
  }

  sign(claims: VisitorClaims): Promise<string> {
    return this.tokens.sign(
      claims.visitorId,
      {
        tid: claims.tenantId,
        bid: claims.botId,
        cid: claims.conversationId,
        ...(claims.preview ? { pv: '1' } : {}),
      },
      claims.preview ? PREVIEW_TOKEN_TTL_SECONDS : undefined,
    );
  }

  /** @throws VisitorTokenError for a token that is forged, expired, of another kind or of another bot. */
  async verify(token: string, botId?: string): Promise<VerifiedToken<VisitorClaims>> {
    const claims = await this.tokens.verify(token).catch(() => {
      throw new VisitorTokenError();
    });
    if (botId !== undefined && claims.botId !== botId) throw new VisitorTokenError();
    return claims;
  }
}
