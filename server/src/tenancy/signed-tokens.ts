import { SignJWT, errors, jwtVerify } from 'jose';
import type { z } from 'zod';

const ISSUER = 'chatbot-platform';

/**
 * How far the clocks of the nodes that issue and check tokens may drift apart: a token issued by a node a
 * second ahead must not look issued in the future to the next one. It also keeps a token a few seconds past
 * its expiry, which {@link VerifiedToken.expiresAt} includes.
 */
export const CLOCK_LEEWAY_SECONDS = 5;

/** A token's claims as its kind's schema reads them, and when the token stops being accepted. */
export type VerifiedToken<C> = C & { expiresAt: Date };

/**
 * Short-lived signed tokens of one kind: HS256 only, with the issuer, an audience and a `typ` of their
 * own checked on every verify, so a token of one kind (a visitor's) is never accepted as another (an
 * admin's), whatever its claims say. A token issued in the future, older than the kind's lifetime or whose
 * claims do not match the kind's schema is refused too: only a holder of the secret could make one, and
 * it must not reach a query with ids the database cannot read.
 */
export class SignedTokens<C> {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly kind: { audience: string; type: string; claims: z.ZodType<C> },
    readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** A token for `subject` with `claims`, living the kind's lifetime or the shorter `ttlSeconds`. */
  sign(subject: string, claims: Record<string, string>, ttlSeconds = this.ttlSeconds): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: this.kind.type })
      .setSubject(subject)
      .setIssuer(ISSUER)
      .setAudience(this.kind.audience)
      .setIssuedAt()
      .setExpirationTime(`${Math.min(ttlSeconds, this.ttlSeconds)}s`)
      .sign(this.key);
  }

  /** The claims of a valid token; rejects with `{ expired }` saying whether it only ran out of time. */
  async verify(token: string): Promise<VerifiedToken<C>> {
    const payload = await jwtVerify(token, this.key, {
      issuer: ISSUER,
      audience: this.kind.audience,
      algorithms: ['HS256'],
      typ: this.kind.type,
      requiredClaims: ['sub', 'exp', 'iat'],
      clockTolerance: CLOCK_LEEWAY_SECONDS,
      maxTokenAge: this.ttlSeconds,
    }).then(
      (verified) => verified.payload,
      (error: unknown) => {
        throw new InvalidTokenError(error instanceof errors.JWTExpired);
      },
    );
    const claims = this.kind.claims.safeParse(payload);
    if (!claims.success) throw new InvalidTokenError(false);
    return { ...claims.data, expiresAt: new Date((payload.exp! + CLOCK_LEEWAY_SECONDS) * 1000) };
  }
}

export class InvalidTokenError extends Error {
  constructor(readonly expired: boolean) {
    super(expired ? 'token expired' : 'token invalid');
  }
}
