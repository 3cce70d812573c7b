import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type Request, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { BullMqQueue } from '@chatbot/shared/platform';
import { unknownRoute } from '../../http/error-handler';

export const QUEUE_DASHBOARD_PATH = '/api/operators/queues';
const COOKIE = 'operator_token';

function tokenOf(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const cookie = req.headers.cookie?.split(';').find((part) => part.trim().startsWith(`${COOKIE}=`));
  return cookie ? decodeURIComponent(cookie.split('=')[1]!.trim()) : undefined;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * bull-board over the BullMQ queues (scaled mode), for the people who run the platform. It shows every
 * tenant's jobs, so no tenant account opens it: only OPERATOR_TOKEN does, and anyone else gets exactly the
 * answer of a route that does not exist. A browser cannot send a Bearer header while navigating, so
 * `POST …/session` turns the token into an HttpOnly cookie limited to the dashboard's path.
 */
export function queueDashboardRoutes(queue: BullMqQueue, operatorToken: string): Router {
  const expected = digest(operatorToken);
  const requireOperator: RequestHandler = (req, res, next) => {
    const token = tokenOf(req);
    // Digests have equal lengths, so the comparison time says nothing about the token.
    if (token && timingSafeEqual(digest(token), expected)) return next();
    unknownRoute(req, res, next);
  };

  const board = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queue.allQueues().map((each) => new BullMQAdapter(each)), serverAdapter: board });

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
  // bull-board's page runs an inline bootstrap script, which the API's strict CSP would block.
  router.use(
    helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"] } } }),
    board.getRouter(),
  );
  return router;
}
