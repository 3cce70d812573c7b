import { Router } from 'express';
import { z } from 'zod';
import { runHealthChecks, type Platform } from '@chatbot/shared/platform';
import { route } from '../../http/route';

/** `GET /api/health`: one check per dependency; 503 when any is down, so a load balancer stops routing here. */
export function healthRoutes(platform: Platform): Router {
  const router = Router();
  router.get(
    '/health',
    // Any query is accepted: probes and load balancers add their own parameters.
    route({ query: z.record(z.string(), z.unknown()) }, async (_input, _req, res) => {
      const health = await runHealthChecks(platform.healthChecks);
      res.status(health.status === 'ok' ? 200 : 503).setHeader('Cache-Control', 'no-store');
      return health;
    }),
  );
  return router;
}
