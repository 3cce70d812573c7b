import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger/logger';
import { metricsRegistry } from './metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Answers a scrape with every metric in Prometheus' text format. With `token`, only a request bearing it
 * gets them; any other gets 401. Plain node:http, so the server (under Express) and the worker (on a
 * port of its own) answer alike.
 */
export function metricsHandler(token: string | undefined, logger: Logger) {
  const expected = token ? digest(token) : null;
  return (req: IncomingMessage, res: ServerResponse): void => {
    const header = req.headers.authorization;
    const given = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    // Digests have equal lengths, so the comparison time says nothing about the token.
    if (expected && !timingSafeEqual(digest(given), expected)) {
      res
        .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="metrics"' })
        .end(JSON.stringify({ error: { code: 'unauthenticated', message: 'Give the metrics token.' } }));
      return;
    }
    metricsRegistry.metrics().then(
      (text) => {
        res
          .writeHead(200, { 'content-type': metricsRegistry.contentType, 'cache-control': 'no-store' })
          .end(text);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'metrics could not be collected');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected\n');
      },
    );
  };
}

/**
 * Serves `GET /metrics` on its own port (a worker has no HTTP server otherwise); port 0 turns it off.
 * It never keeps a stopping process alive, and a port it cannot take is logged, not fatal.
 */
export function startMetricsServer(options: { port: number; token?: string; logger: Logger }): Server | null {
  const { port, logger } = options;
  if (port === 0) return null;
  const answer = metricsHandler(options.token, logger);
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') return answer(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  server.on('error', (error) => logger.error({ err: error, port }, 'the metrics server could not listen'));
  server.listen(port, () => logger.info({ port }, 'metrics listening'));
  server.unref();
  return server;
}
