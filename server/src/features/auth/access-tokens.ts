import { idSchema } from '@chatbot/shared';
import { z } from 'zod';
import { InvalidTokenError, SignedTokens, type VerifiedToken } from '../../tenancy/signed-tokens';

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

const accessClaimsSchema = z
  .object({ sub: idSchema, tid: idSchema, sid: idSchema })
  .transform(({ sub, tid, sid }): AccessClaims => ({ userId: sub, tenantId: tid, sessionId: sid }));

/**
 * Short-lived JWTs for the dashboard API, naming the user, the tenant and the session, so revoking the
 * session ends the token before it expires.
 */
export class AccessTokens {
  private readonly tokens: SignedTokens<AccessClaims>;

  constructor(secret: string, ttlSeconds: number) {
    this.tokens = new SignedTokens(
      secret,
      { audience: 'chatbot-platform:admin-api', type: 'at+jwt', claims: accessClaimsSchema },
      ttlSeconds,
    );
  }

  get ttlSeconds(): number {
    return this.tokens.ttlSeconds;
  }

  sign(claims: AccessClaims): Promise<string> {
    return this.tokens.sign(claims.userId, { tid: claims.tenantId, sid: claims.sessionId });
  }

  verify(token: string): Promise<VerifiedToken<AccessClaims>> {
    return this.tokens.verify(token).catch((error: unknown) => {
      throw new AccessTokenError(error instanceof InvalidTokenError && error.expired);
    });
  }
}
