import { SignJWT, errors, jwtVerify, type JWTPayload } from 'jose';

const ISSUER = 'chatbot-platform';

/**
 * Short-lived signed tokens of one kind: HS256 only, with the issuer, an audience and a `typ` of their
 * own checked on every verify, so a token of one kind (a visitor's) is never accepted as another (an
 * admin's), whatever its claims say.
 */
export class SignedTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly kind: { audience: string; type: string },
    readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(subject: string, claims: Record<string, string>): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: this.kind.type })
      .setSubject(subject)
      .setIssuer(ISSUER)
      .setAudience(this.kind.audience)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /** The payload of a valid token; rejects with `{ expired }` saying whether it only ran out of time. */
  async verify(token: string): Promise<JWTPayload & { sub: string }> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: this.kind.audience,
        algorithms: ['HS256'],
        typ: this.kind.type,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      return payload as JWTPayload & { sub: string };
    } catch (error) {
      throw new InvalidTokenError(error instanceof errors.JWTExpired);
    }
  }
}

export class InvalidTokenError extends Error {
  constructor(readonly expired: boolean) {
    super(expired ? 'token expired' : 'token invalid');
  }
}
