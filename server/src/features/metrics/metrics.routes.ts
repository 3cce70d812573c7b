import { Router } from 'express';
import { metricsHandler, type Logger } from '@chatbot/shared/platform';

/**
 * `GET /metrics` for Prometheus, outside `/api` and before the request log: a scrape every few seconds is
 * not news. Open unless METRICS_TOKEN is set (the load balancer keeps it from the public either way).
 */
export function metricsRoutes(token: string | undefined, logger: Logger): Router {
  const router = Router();
  router.get('/metrics', metricsHandler(token, logger));
  return router;
}
