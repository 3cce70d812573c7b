import { createBotSchema, idParamsSchema, listBotsQuerySchema, updateBotSchema } from '@chatbot/shared';
import { Router } from 'express';
import { requestEm } from '../../http/request-context';
import { route } from '../../http/route';
import { requireRole } from '../../tenancy/require-auth';
import type { BotsService } from './bots.service';

// Agents see which bots exist (to filter their inbox) but cannot change a bot or its key.
const canManageBots = requireRole('owner', 'admin');

/** `/api/chatbots`, mounted behind requireAuth. */
export function botsRoutes(bots: BotsService): Router {
  const router = Router();
  router.get(
    '/',
    route({ query: listBotsQuerySchema }, ({ query }) => bots.list(requestEm(), query)),
  );
  router.post(
    '/',
    canManageBots,
    route({ body: createBotSchema, status: 201 }, ({ body }) => bots.create(requestEm(), body)),
  );
  router.get(
    '/:id',
    route({ params: idParamsSchema }, ({ params }) => bots.get(requestEm(), params.id)),
  );
  router.patch(
    '/:id',
    canManageBots,
    route({ params: idParamsSchema, body: updateBotSchema }, ({ params, body }) =>
      bots.update(requestEm(), params.id, body),
    ),
  );
  router.delete(
    '/:id',
    canManageBots,
    route({ params: idParamsSchema, status: 204 }, ({ params }) => bots.remove(requestEm(), params.id)),
  );
  return router;
}
