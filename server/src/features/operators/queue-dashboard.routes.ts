import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type Request, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { BullMqQueue } from '@chatbot/shared/platform';
import type { AccessTokens } from '../auth/access-tokens';
import { notFound } from '../../http/http-error';
import { requestEm } from '../../http/request-context';
import { authenticate } from '../../tenancy/require-auth';

export const QUEUE_DASHBOARD_PATH = '/api/operators/queues';
const COOKIE = 'operator_token';

function tokenOf(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const cookie = req.headers.cookie?.split(';').find((part) => part.trim().startsWith(`${COOKIE}=`));
  return cookie ? decodeURIComponent(cookie.split('=')[1]!.trim()) : undefined;
}

/**
 * bull-board over the BullMQ queues (scaled mode), for the platform's operators only: owners whose email
 * is in OPERATOR_EMAILS. It shows every tenant's jobs, so anyone else gets the same 404 as for a route that
 * does not exist. A browser cannot send a Bearer header while navigating, so `POST …/session` turns the
 * caller's access token into an HttpOnly cookie limited to the dashboard's path.
 */
export function queueDashboardRoutes(
  queue: BullMqQueue,
  accessTokens: AccessTokens,
  operators: string[],
): Router {
  const requireOperator: RequestHandler = async (req, _res, next) => {
    const token = tokenOf(req);
    const auth = token ? await authenticate(accessTokens, requestEm(), token).catch(() => null) : null;
    if (!auth || auth.user.role !== 'owner' || !operators.includes(auth.user.email))
      throw notFound(`Route ${req.method} ${req.path}`);
    next();
  };

  const board = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queue.allQueues().map((each) => new BullMQAdapter(each, { readOnlyMode: false })),
    serverAdapter: board,
  });

  const router = Router();
  router.use(requireOperator);
  router.post('/session', (req, res) => {
    const secure = req.secure ? '; Secure' : '';
    res
      .setHeader(
        'Set-Cookie',
        `${COOKIE}=${encodeURIComponent(tokenOf(req)!)}; HttpOnly; SameSite=Strict; Path=${QUEUE_DASHBOARD_PATH}${secure}`,
      )
      .status(204)
      .end();
  });
  // bull-board's page loads its own inline bootstrap script, which the API's strict CSP would block.
  router.use(
    helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"] } } }),
    board.getRouter(),
  );
  return router;
}
