import { analyticsQuerySchema, unansweredQuestionsQuerySchema } from '@chatbot/shared';
import { Router } from 'express';
import { sendCsv } from '../../http/csv';
import { requestEm } from '../../http/request-context';
import { route } from '../../http/route';
import { requireRole } from '../../tenancy/require-auth';
import { analyticsCsv, analyticsSummary, analyticsTimeseries } from './analytics.queries';
import { leadsByStatus } from './leads-by-status';
import { unansweredQuestions } from './unanswered-questions';

/**
 * `/api/analytics`, behind requireAuth: owners and admins only (costs and conversion are the business's
 * figures, not an agent's work). Read from the daily roll-ups, never from the messages, except the list of
 * unanswered questions and the leads by status (a lead's status changes after the day it was captured).
 */
export function analyticsRoutes(): Router {
  const router = Router();
  router.use(requireRole('owner', 'admin'));
  router.get(
    '/summary',
    route({ query: analyticsQuerySchema }, ({ query }) => analyticsSummary(requestEm(), query)),
  );
  router.get(
    '/timeseries',
    route({ query: analyticsQuerySchema }, ({ query }) => analyticsTimeseries(requestEm(), query)),
  );
  router.get(
    '/export.csv',
    route({ query: analyticsQuerySchema }, async ({ query }, _req, res) =>
      sendCsv(res, `analytics-${query.from}-${query.to}.csv`, await analyticsCsv(requestEm(), query)),
    ),
  );
  router.get(
    '/leads',
    route({ query: analyticsQuerySchema }, ({ query }) => leadsByStatus(requestEm(), query)),
  );
  router.get(
    '/unanswered',
    route({ query: unansweredQuestionsQuerySchema }, ({ query }) => unansweredQuestions(requestEm(), query)),
  );
  return router;
}
