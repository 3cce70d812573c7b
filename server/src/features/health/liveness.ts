import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { LivenessResponse } from '@chatbot/shared';

export const livenessPath = '/api/health/live';

const body = JSON.stringify({ status: 'ok' } satisfies LivenessResponse);

/**
 * Puts the liveness probe (`GET /api/health/live`) in front of `app`. It asks no dependency: a restart
 * cures a hung process, not a database that is down, so only the process itself is checked. It is
 * answered before Express, so that a probe every few seconds writes no log line and runs no middleware;
 * being reached at all is what it proves (the event loop turns). It stays 200 while the process drains.
 */
export function withLivenessProbe(app: RequestListener): RequestListener {
  return (req, res) => (isLivenessProbe(req) ? answerAlive(req, res) : app(req, res));
}

function isLivenessProbe(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  // Probes may add a query string of their own, as for `/api/health`.
  const path = req.url?.split('?', 1)[0];
  return path === livenessPath;
}

function answerAlive(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
