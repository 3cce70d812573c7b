import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { RequestContext } from '@mikro-orm/core';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { runWithLogContext, type Logger } from '@chatbot/shared/platform';

const requestIdPattern = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The URL as the request log writes it: the path and the parameter names, each value blanked. Queries
 * carry what people typed (`/api/privacy/visitor?email=…`, a search); the names are enough to debug.
 */
export function loggableUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const names = url
    .slice(start + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=[redacted]`);
  return `${url.slice(0, start)}?${names.join('&')}`;
}

/**
 * Logs every request as one JSON line with its id (taken from X-Request-Id when it is sane, so a proxy's id
 * follows the request), returns the id to the client, and stamps it on every other line the request logs.
 */
export function requestLogger(logger: Logger): RequestHandler {
  const logRequest = pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: loggableUrl(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
  return (req, res, next) => {
    logRequest(req, res);
    runWithLogContext({ requestId: String(req.id) }, next);
  };
}

/** Gives each request its own identity map, so entities never leak between requests. */
export function ormRequestContext(orm: MikroORM): RequestHandler {
  return (_req, _res, next) => RequestContext.create(orm.em, next);
}

/** The entity manager of the current request (set up by ormRequestContext). */
export function requestEm(): EntityManager {
  const em = RequestContext.getEntityManager();
  if (!em) throw new Error('no request context: ormRequestContext must run before the routes');
  return em;
}
