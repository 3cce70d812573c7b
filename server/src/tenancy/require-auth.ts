import type { Role } from '@chatbot/shared';
import { requestEm } from '../http/request-context';
import { Session, runInTenant, type User } from '@chatbot/shared/platform';
import type { Request, RequestHandler } from 'express';
import { AccessTokenError, type AccessTokens } from '../features/auth/access-tokens';
import { HttpError, forbidden, unauthenticated } from '../http/http-error';

export interface AuthContext {
  user: User;
  tenantId: string;
  sessionId: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AuthContext;
  }
}

/**
 * Resolves the tenant of a dashboard request, in one place: verifies the access token, checks that its
 * session is live and its user still exists, then runs the rest of the request inside that tenant's scope,
 * where every query is filtered to the tenant.
 */
export function requireAuth(accessTokens: AccessTokens): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw unauthenticated();
    const claims = await accessTokens.verify(token).catch((error: unknown) => {
      if (error instanceof AccessTokenError && error.expired) {
        throw new HttpError(401, 'token_expired', 'The access token has expired; refresh it.');
      }
      throw unauthenticated('The access token is not valid.');
    });
    await runInTenant(claims.tenantId, async () => {
      const em = requestEm();
      const session = await em.findOne(
        Session,
        { id: claims.sessionId, user: claims.userId, revokedAt: null, expiresAt: { $gt: new Date() } },
        // One joined query on every authenticated request instead of two.
        { populate: ['user'], strategy: 'joined' },
      );
      if (!session) throw unauthenticated('The session has ended. Sign in again.');
      req.auth = { user: session.user.getEntity(), tenantId: claims.tenantId, sessionId: session.id };
      next();
    });
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
