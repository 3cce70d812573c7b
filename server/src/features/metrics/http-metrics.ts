import type { Request, RequestHandler } from 'express';
import { httpRequestDuration, httpRequests } from '@chatbot/shared/platform';

/** The label of requests for which no route exists (every 404 that no route gave). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Watches the router as it takes the request, because by the time the response ends an error has unwound
 * the mount paths: the full pattern of the route that took it (`/api/chatbots/:id`), and the deepest mount
 * path it entered (`/api/chatbots`), which names a request refused before any route (a 401, a 429).
 * Every router is mounted at a fixed path, so neither holds a raw id.
 */
function followRouting(req: Request) {
  let pattern: string | undefined;
  let mount = '';
  let route: unknown;
  let baseUrl: string | undefined;
  Object.defineProperties(req, {
    route: {
      configurable: true,
      enumerable: true,
      get: () => route,
      set(value: { path?: unknown } | undefined) {
        route = value;
        if (value) pattern = (baseUrl ?? '') + String(value.path);
      },
    },
    baseUrl: {
      configurable: true,
      enumerable: true,
      get: () => baseUrl,
      // The router sets it on the way in, and restores it (to undefined, at the top) on the way out.
      set(value: string | undefined) {
        baseUrl = value;
        if (value && value.length > mount.length) mount = value;
      },
    },
  });
  return { pattern: () => pattern, mount: () => mount };
}

/**
 * Counts every request by method, route pattern (never the raw URL: ids would make the series countless)
 * and status, and times it. Answers streamed for as long as the model writes (server-sent events) are
 * counted but not timed: their length is the answer's, which the time-to-first-token metric tells.
 */
export function httpMetrics(): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const routing = followRouting(req);
    res.once('close', () => {
      const mount = routing.mount();
      const route = routing.pattern() ?? (res.statusCode === 404 || !mount ? UNMATCHED_ROUTE : `${mount}/*`);
      httpRequests.inc({ method: req.method, route, status_code: String(res.statusCode) });
      const type = res.getHeader('content-type');
      if (typeof type === 'string' && type.startsWith('text/event-stream')) return;
      httpRequestDuration.observe({ method: req.method, route }, (performance.now() - started) / 1000);
    });
    next();
  };
}
