import { idParamsSchema, inviteUserSchema, updateUserSchema } from '@chatbot/shared';
import { Router } from 'express';
import { requestEm } from '../../http/request-context';
import { route } from '../../http/route';
import { authOf, requireRole } from '../../tenancy/require-auth';
import type { UsersService } from './users.service';

/** `/api/users`, mounted behind requireAuth; owners and admins manage the team, agents do not. */
export function usersRoutes(users: UsersService): Router {
  const router = Router();
  router.use(requireRole('owner', 'admin'));
  router.get(
    '/',
    route({}, () => users.list(requestEm())),
  );
  router.post(
    '/invitations',
    route({ body: inviteUserSchema, status: 201 }, ({ body }, req) =>
      users.invite(requestEm(), authOf(req), body),
    ),
  );
  router.delete(
    '/invitations/:id',
    route({ params: idParamsSchema, status: 204 }, ({ params }) =>
      users.revokeInvitation(requestEm(), params.id),
    ),
  );
  router.patch(
    '/:id',
    route({ params: idParamsSchema, body: updateUserSchema }, ({ params, body }, req) =>
      users.update(requestEm(), authOf(req), params.id, body),
    ),
  );
  router.delete(
    '/:id',
    route({ params: idParamsSchema, status: 204 }, ({ params }, req) =>
      users.remove(requestEm(), authOf(req), params.id),
    ),
  );
  return router;
}
