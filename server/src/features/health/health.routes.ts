import { Router } from 'express';
import { z } from 'zod';
import type { HealthResponse } from '@chatbot/shared';
import { runHealthChecks, type Platform } from '@chatbot/shared/platform';
import { route } from '../../http/route';
import { isDraining } from './draining';

/**
 * `GET /api/health`, the readiness check: one check per dependency; 503 when any is down or the process
 * is shutting down (`draining`), so a load balancer stops sending it new work. The liveness probe,
 * `GET /api/health/live`, is answered before Express (see liveness.ts).
 */
export function healthRoutes(platform: Platform): Router {
  const router = Router();
  router.get(
    '/health',
    // Any query is accepted: probes and load balancers add their own parameters.
    route({ query: z.record(z.string(), z.unknown()) }, async (_input, _req, res) => {
      const checked = await runHealthChecks(platform.healthChecks);
      // The checks still run while draining: the operator watching the shutdown sees the dependencies too.
      const health: HealthResponse = isDraining(platform) ? { ...checked, status: 'draining' } : checked;
      res.status(health.status === 'ok' ? 200 : 503).setHeader('Cache-Control', 'no-store');
      return health;
    }),
  );
  return router;
}
