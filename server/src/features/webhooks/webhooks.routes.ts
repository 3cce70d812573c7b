import {
  createWebhookSchema,
  idParamsSchema,
  listWebhookDeliveriesQuerySchema,
  listWebhooksQuerySchema,
  updateWebhookSchema,
} from '@chatbot/shared';
import { Router } from 'express';
import { requestEm } from '../../http/request-context';
import { route } from '../../http/route';
import { requireRole } from '../../tenancy/require-auth';
import type { WebhooksService } from './webhooks.service';

/** `/api/webhooks`, mounted behind requireAuth. Webhooks send the tenant's data out: owners and admins only. */
export function webhooksRoutes(webhooks: WebhooksService): Router {
  const router = Router();
  router.use(requireRole('owner', 'admin'));
  router.get(
    '/',
    route({ query: listWebhooksQuerySchema }, ({ query }) => webhooks.list(requestEm(), query)),
  );
  router.post(
    '/',
    route({ body: createWebhookSchema, status: 201 }, ({ body }) => webhooks.create(requestEm(), body)),
  );
  router.get(
    '/:id',
    route({ params: idParamsSchema }, ({ params }) => webhooks.get(requestEm(), params.id)),
  );
  router.patch(
    '/:id',
    route({ params: idParamsSchema, body: updateWebhookSchema }, ({ params, body }) =>
      webhooks.update(requestEm(), params.id, body),
    ),
  );
  router.delete(
    '/:id',
    route({ params: idParamsSchema, status: 204 }, ({ params }) => webhooks.remove(requestEm(), params.id)),
  );
  router.post(
    '/:id/rotate-secret',
    route({ params: idParamsSchema }, ({ params }) => webhooks.rotateSecret(requestEm(), params.id)),
  );
  router.post(
    '/:id/test',
    route({ params: idParamsSchema }, ({ params }) => webhooks.sendTest(requestEm(), params.id)),
  );
  router.get(
    '/:id/deliveries',
    route({ params: idParamsSchema, query: listWebhookDeliveriesQuerySchema }, ({ params, query }) =>
      webhooks.deliveries(requestEm(), params.id, query),
    ),
  );
  return router;
}
