import { agentMessageSchema, idParamsSchema, listConversationsQuerySchema } from '@chatbot/shared';
import { Router, type Request } from 'express';
import { requestEm } from '../../http/request-context';
import { route } from '../../http/route';
import { authOf } from '../../tenancy/require-auth';
import { getConversation, listConversations } from './conversations.queries';
import type { ConversationsService, Staff } from './conversations.service';

const staffOf = (req: Request): Staff => {
  const { user } = authOf(req);
  return { id: user.id, name: user.name, role: user.role };
};

/** `/api/conversations`, behind requireAuth: every role works the inbox (agents are the ones who do). */
export function conversationsRoutes(conversations: ConversationsService): Router {
  const router = Router();
  router.get(
    '/',
    route({ query: listConversationsQuerySchema }, ({ query }) => listConversations(requestEm(), query)),
  );
  router.get(
    '/:id',
    route({ params: idParamsSchema }, ({ params }) => getConversation(requestEm(), params.id)),
  );
  const action = (path: string, act: 'takeover' | 'release' | 'close') =>
    router.post(
      `/:id/${path}`,
      route({ params: idParamsSchema }, async ({ params }, req) => ({
        conversation: await conversations[act](requestEm(), params.id, staffOf(req)),
      })),
    );
  action('takeover', 'takeover');
  action('release', 'release');
  action('close', 'close');
  router.post(
    '/:id/messages',
    route({ params: idParamsSchema, body: agentMessageSchema, status: 201 }, ({ params, body }, req) =>
      conversations.postAgentMessage(requestEm(), params.id, staffOf(req), body),
    ),
  );
  return router;
}
