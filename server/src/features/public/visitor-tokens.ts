import { SignedTokens } from '../../tenancy/signed-tokens';

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
 * The visitor's credential, issued when a conversation starts: it names one bot and one conversation and
 * opens nothing else. Long-lived (a visitor comes back days later to the same chat) because it guards
 * only that conversation; starting again with it resumes the chat and renews it. Its own audience and
 * type: a visitor token is never accepted as a dashboard token, nor the reverse.
 */
export class VisitorTokens {
  private readonly tokens: SignedTokens;

  constructor(secret: string, ttlSeconds: number) {
    this.tokens = new SignedTokens(
      secret,
      { audience: 'chatbot-platform:widget', type: 'vt+jwt' },
      ttlSeconds,
    );
  }

  sign(claims: VisitorClaims): Promise<string> {
    return this.tokens.sign(claims.visitorId, {
      tid: claims.tenantId,
      bid: claims.botId,
      cid: claims.conversationId,
      ...(claims.preview ? { pv: '1' } : {}),
    });
  }

  /** @throws VisitorTokenError for a token that is forged, expired, of another kind or of another bot. */
  async verify(token: string, botId?: string): Promise<VisitorClaims> {
    const { tid, bid, cid, pv, sub } = await this.tokens.verify(token).catch(() => {
      throw new VisitorTokenError();
    });
    if (typeof tid !== 'string' || typeof bid !== 'string' || typeof cid !== 'string') {
      throw new VisitorTokenError();
    }
    if (botId !== undefined && bid !== botId) throw new VisitorTokenError();
    return {
      tenantId: tid,
      botId: bid,
      conversationId: cid,
      visitorId: sub,
      ...(pv === '1' ? { preview: true } : {}),
    };
  }
}
