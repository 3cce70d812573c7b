import { eraseVisitorSchema, retentionSettingsSchema, visitorExportQuerySchema } from '@chatbot/shared';
import { Router } from 'express';
import { requestEm } from '../../http/request-context';
import { route } from '../../http/route';
import { authOf, requireRole } from '../../tenancy/require-auth';
import { retentionSettings, updateRetentionSettings } from './retention-settings';
import { eraseVisitor } from './visitor-erasure';
import { exportVisitorData } from './visitor-export';

/**
 * `/api/privacy`, behind requireAuth: visitors' access and erasure requests, and how long conversations
 * are kept. Owners and admins; only an owner changes the retention, which deletes data for good.
 */
export function privacyRoutes(): Router {
  const router = Router();
  router.use(requireRole('owner', 'admin'));
  router.get(
    '/export',
    route({ query: visitorExportQuerySchema }, async ({ query }, _req, res) => {
      // Personal data: no cache along the way may keep a copy.
      res.set('Cache-Control', 'no-store');
      return exportVisitorData(requestEm(), query);
    }),
  );
  router.post(
    '/erase',
    route({ body: eraseVisitorSchema }, ({ body }, req) =>
      eraseVisitor(requestEm(), body, authOf(req).user.id),
    ),
  );
  router.get(
    '/retention',
    route({}, () => retentionSettings(requestEm())),
  );
  router.patch(
    '/retention',
    requireRole('owner'),
    route({ body: retentionSettingsSchema }, ({ body }) => updateRetentionSettings(requestEm(), body)),
  );
  return router;
}
