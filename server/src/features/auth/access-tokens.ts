import { InvalidTokenError, SignedTokens } from '../../tenancy/signed-tokens';

export interface AccessClaims {
  userId: string;
  tenantId: string;
  sessionId: string;
}

export class AccessTokenError extends Error {
  constructor(readonly expired: boolean) {
    super(expired ? 'access token expired' : 'access token invalid');
  }
}

/**
 * Short-lived JWTs for the dashboard API, naming the user, the tenant and the session, so revoking the
 * session ends the token before it expires.
 */
export class AccessTokens {
  private readonly tokens: SignedTokens;

  constructor(secret: string, ttlSeconds: number) {
    this.tokens = new SignedTokens(
      secret,
      { audience: 'chatbot-platform:admin-api', type: 'at+jwt' },
      ttlSeconds,
    );
  }

  get ttlSeconds(): number {
    return this.tokens.ttlSeconds;
  }

  sign(claims: AccessClaims): Promise<string> {
    return this.tokens.sign(claims.userId, { tid: claims.tenantId, sid: claims.sessionId });
  }

  async verify(token: string): Promise<AccessClaims> {
    const payload = await this.tokens.verify(token).catch((error: unknown) => {
      throw new AccessTokenError(error instanceof InvalidTokenError && error.expired);
    });
    if (typeof payload.tid !== 'string' || typeof payload.sid !== 'string') throw new AccessTokenError(false);
    return { userId: payload.sub, tenantId: payload.tid, sessionId: payload.sid };
  }
}
