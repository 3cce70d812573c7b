import {
  BotAvatarLimits,
  createBotSchema,
  idParamsSchema,
  listBotsQuerySchema,
  updateBotSchema,
} from '@chatbot/shared';
import { Router, type Request } from 'express';
import multer from 'multer';
import { formUpload } from '../../http/multipart';
import { requestEm } from '../../http/request-context';
import { route } from '../../http/route';
import { requireRole } from '../../tenancy/require-auth';
import type { BotAvatars } from './bot-avatars';
import type { BotsService } from './bots.service';
import type { PreviewConversations } from './preview-conversations';

// Agents see which bots exist (to filter their inbox) but cannot change a bot or its key.
const canManageBots = requireRole('owner', 'admin');

export interface BotsRoutesDeps {
  bots: BotsService;
  avatars: BotAvatars;
  previews: PreviewConversations;
}

/** `/api/chatbots`, mounted behind requireAuth. */
export function botsRoutes({ bots, avatars, previews }: BotsRoutesDeps): Router {
  // One image, held in memory: the limit is small, and multer stops reading at it.
  const avatarUpload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: BotAvatarLimits.maxBytes, files: 1, fields: 0, parts: 1 },
  });

  const router = Router();
  router.get(
    '/',
    route({ query: listBotsQuerySchema }, ({ query }) => bots.list(requestEm(), query)),
  );
  router.post(
    '/',
    canManageBots,
    route({ body: createBotSchema, status: 201 }, ({ body }) => bots.create(requestEm(), body)),
  );
  router.get(
    '/:id',
    route({ params: idParamsSchema }, ({ params }) => bots.get(requestEm(), params.id)),
  );
  router.patch(
    '/:id',
    canManageBots,
    route({ params: idParamsSchema, body: updateBotSchema }, ({ params, body }) =>
      bots.update(requestEm(), params.id, body),
    ),
  );
  router.delete(
    '/:id',
    canManageBots,
    route({ params: idParamsSchema, status: 204 }, ({ params }) => bots.remove(requestEm(), params.id)),
  );
  router.post(
    '/:id/avatar',
    canManageBots,
    formUpload(avatarUpload.single('file')),
    route({ params: idParamsSchema }, ({ params }, req) =>
      avatars.upload(requestEm(), params.id, req.file, originOf(req)),
    ),
  );
  // Any member of the tenant may try a bot in the dashboard, agents included.
  router.post(
    '/:id/preview-conversation',
    route({ params: idParamsSchema, status: 201 }, ({ params }, req) =>
      previews.start(requestEm(), params.id, {
        ip: req.ip ?? null,
        userAgent: req.headers['user-agent'] ?? null,
        referrer: req.headers.referer ?? null,
      }),
    ),
  );
  return router;
}

/** The origin the request reached the platform at (through the trusted proxies' headers). */
function originOf(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}
