import { SignJWT, errors, jwtVerify } from 'jose';

const ISSUER = 'chatbot-platform';
const AUDIENCE = 'chatbot-platform:admin-api';
const TOKEN_TYPE = 'at+jwt';

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
 * Short-lived JWTs for the dashboard API (HS256 only, issuer, audience and `typ` checked), naming the user,
 * the tenant and the session, so revoking the session ends the token before it expires.
 */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(claims: AccessClaims): Promise<string> {
    return new SignJWT({ tid: claims.tenantId, sid: claims.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: TOKEN_TYPE })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        typ: TOKEN_TYPE,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      if (typeof payload.tid !== 'string' || typeof payload.sid !== 'string' || !payload.sub) {
        throw new AccessTokenError(false);
      }
      return { userId: payload.sub, tenantId: payload.tid, sessionId: payload.sid };
    } catch (error) {
      if (error instanceof AccessTokenError) throw error;
      throw new AccessTokenError(error instanceof errors.JWTExpired);
    }
  }
}
