import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** Where `npm run build -w widget` puts the loader and the chat window. */
export const widgetDist = fileURLToPath(new URL('../../../../widget/dist', import.meta.url));

/** The loader keeps one URL that sites embed, so it is cached briefly; the window is named by its hash. */
const LOADER_CACHE = 'public, max-age=300';
const HASHED_CACHE = 'public, max-age=31536000, immutable';

/**
 * `/widget/…`: the files any website embeds. Other origins load them (the window as a module, which
 * needs CORS), so they are served with `Access-Control-Allow-Origin: *` and a cross-origin resource
 * policy instead of helmet's same-origin one. They hold no secret and set no cookie.
 */
export function widgetRoutes(): Router {
  const router = Router();
  router.use(
    '/widget',
    (_req, res, next) => {
      res.set({ 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' });
      next();
    },
    express.static(widgetDist, {
      index: false,
      setHeaders: (res, path) => {
        res.setHeader('Cache-Control', path.endsWith('/chat-bot.js') ? LOADER_CACHE : HASHED_CACHE);
      },
    }),
  );
  return router;
}
