import { botIdParamsSchema } from '@chatbot/shared';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { route } from '../../http/route';
import type { BotAvatars } from './bot-avatars';

/** The avatar URL's content version (`?v=`), there for caches only. */
const avatarQuerySchema = z.object({ v: z.string().max(64).optional() }).strict();

/** Browsers and proxies keep an avatar a day; a new upload changes the URL's version at once. */
const AVATAR_CACHE = 'public, max-age=86400';

/**
 * `GET /api/public/bot/:botId/avatar`, without login: the image websites embedding the bot show. Served
 * with the type its bytes say, never sniffed as anything else, and loadable from any site.
 */
export function publicAvatarRoutes(avatars: BotAvatars, limit: RequestHandler): Router {
  const router = Router();
  router.get(
    '/bot/:botId/avatar',
    limit,
    route({ params: botIdParamsSchema, query: avatarQuerySchema }, async ({ params }, _req, res) => {
      const { bytes, type } = await avatars.read(params.botId);
      res.set({
        'Content-Type': type,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': AVATAR_CACHE,
        'Cross-Origin-Resource-Policy': 'cross-origin',
      });
      res.send(bytes);
    }),
  );
  return router;
}
