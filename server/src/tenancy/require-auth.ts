import type { Role } from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { requestEm } from '../http/request-context';
import { Session, runInTenant, type User } from '@chatbot/shared/platform';
import type { Request, RequestHandler } from 'express';
import { AccessTokenError, type AccessTokens } from '../features/auth/access-tokens';
import { HttpError, forbidden, unauthenticated } from '../http/http-error';

export interface AuthContext {
  user: User;
  tenantId: string;
  sessionId: string;
  /** When the access token stops being accepted (a socket admitted with it is dropped then). */
  expiresAt: Date;
}

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AuthContext;
  }
}

/**
 * Checks a dashboard access token: its signature and claims, then that its session is live and its user
 * still exists (one joined query, inside the token's tenant). The one check behind both REST and sockets.
 * Every refusal but expiry is the same `unauthenticated`, so that the answer never tells which check a
 * token failed (a forged one from one whose session ended). Expiry has its own code, telling the client
 * to refresh: only a token the server signed gets that far, so it tells its holder nothing new.
 */
export async function authenticate(
  accessTokens: AccessTokens,
  em: EntityManager,
  token: string,
): Promise<AuthContext> {
  const claims = await accessTokens.verify(token).catch((error: unknown) => {
    if (error instanceof AccessTokenError && error.expired) {
      throw new HttpError(401, 'token_expired', 'The access token has expired; refresh it.');
    }
    throw unauthenticated();
  });
  const session = await runInTenant(claims.tenantId, () =>
    em.findOne(
      Session,
      { id: claims.sessionId, user: claims.userId, revokedAt: null, expiresAt: { $gt: new Date() } },
      { populate: ['user'], strategy: 'joined' },
    ),
  );
  if (!session) throw unauthenticated();
  return {
    user: session.user.getEntity(),
    tenantId: claims.tenantId,
    sessionId: session.id,
    expiresAt: claims.expiresAt,
  };
}

/**
 * Resolves the tenant of a dashboard request, in one place: authenticates the Bearer token, then runs the
 * rest of the request inside that tenant's scope, where every query is filtered to the tenant.
 */
export function requireAuth(accessTokens: AccessTokens): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw unauthenticated();
    req.auth = await authenticate(accessTokens, requestEm(), token);
    runInTenant(req.auth.tenantId, next);
  };
}

/** Lets the request through only for the given roles (after requireAuth). */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.auth || !roles.includes(req.auth.user.role)) throw forbidden();
    next();
  };
}

/** The signed-in caller of a route behind requireAuth. */
export function authOf(req: Request): AuthContext {
  if (!req.auth) throw unauthenticated();
  return req.auth;
}
