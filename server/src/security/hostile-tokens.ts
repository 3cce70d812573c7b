import { createHmac, randomBytes } from 'node:crypto';
import { SignJWT, decodeJwt, type JWTPayload } from 'jose';

/** The two kinds of JWT the platform issues, as their verifiers expect them. */
export const tokenKinds = {
  access: { audience: 'chatbot-platform:admin-api', type: 'at+jwt' },
  visitor: { audience: 'chatbot-platform:widget', type: 'vt+jwt' },
} as const;

/** The current time as a JWT reads it. */
export const nowSeconds = () => Math.floor(Date.now() / 1000);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The claims of an issued token (unverified), to forge variants of it. */
export const claimsOf = (token: string): JWTPayload => decodeJwt(token);

/**
 * Mints an attacker's token with jose. With the real secret and nothing overridden it is exactly what the
 * server issues; every test then changes one thing (the algorithm, a claim, the key) to see it refused.
 */
export function mint(
  secret: string,
  claims: JWTPayload,
  header: { alg?: 'HS256' | 'HS384' | 'HS512'; typ?: string } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: header.alg ?? 'HS256', ...(header.typ ? { typ: header.typ } : {}) })
    .sign(new TextEncoder().encode(secret));
}

/** The same claims with `alg: none` and no signature (some libraries once accepted it). */
export function unsigned(claims: JWTPayload, typ: string): string {
  return `${base64url({ alg: 'none', typ })}.${base64url(claims)}.`;
}

/**
 * Algorithm confusion: an RS256 header over an HMAC-SHA256 signature keyed with the server's secret, as
 * if the secret were an RSA public key; a verifier that takes the algorithm from the header accepts it.
 */
export function rsaConfused(secret: string, claims: JWTPayload, typ: string): string {
  const signingInput = `${base64url({ alg: 'RS256', typ })}.${base64url(claims)}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

/** The token with its payload replaced and its original signature kept. */
export function tampered(token: string, claims: JWTPayload): string {
  const [header, , signature] = token.split('.');
  return `${header}.${base64url(claims)}.${signature}`;
}

/** A secret of the right length that is not the server's. */
export const wrongSecret = () => randomBytes(32).toString('hex');
