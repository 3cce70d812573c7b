import { acceptInvitationSchema, loginSchema, refreshSchema, registerSchema } from '@chatbot/shared';
import { Router, type Request } from 'express';
import { requestEm } from '../../http/request-context';
import { route } from '../../http/route';
import { authOf, requireAuth } from '../../tenancy/require-auth';
import type { AccessTokens } from './access-tokens';
import type { AuthService } from './auth.service';
import type { ClientInfo, SessionsService } from './sessions.service';

const clientOf = (req: Request): ClientInfo => ({
  ip: req.ip ?? 'unknown',
  userAgent: req.get('user-agent'),
});

export function authRoutes(auth: AuthService, sessions: SessionsService, accessTokens: AccessTokens): Router {
  const router = Router();
  router.post(
    '/auth/register',
    route({ body: registerSchema, status: 201 }, ({ body }, req) =>
      auth.register(requestEm(), body, clientOf(req)),
    ),
  );
  router.post(
    '/auth/login',
    route({ body: loginSchema }, ({ body }, req) => auth.login(requestEm(), body, clientOf(req))),
  );
  router.post(
    '/auth/refresh',
    route({ body: refreshSchema }, ({ body }) => sessions.refresh(requestEm(), body.refreshToken)),
  );
  router.post(
    '/auth/accept-invitation',
    route({ body: acceptInvitationSchema, status: 201 }, ({ body }, req) =>
      auth.acceptInvitation(requestEm(), body, clientOf(req)),
    ),
  );
  router.post(
    '/auth/logout',
    requireAuth(accessTokens),
    route({ status: 204 }, (_input, req) => sessions.revoke(requestEm(), authOf(req).sessionId, 'logout')),
  );
  router.get(
    '/me',
    requireAuth(accessTokens),
    route({}, (_input, req) => auth.me(requestEm(), authOf(req).user.id)),
  );
  return router;
}
