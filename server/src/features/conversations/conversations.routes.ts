import { agentMessageSchema, idParamsSchema, listConversationsQuerySchema } from '@chatbot/shared';
import { Router, type Request } from 'express';
import { requestEm } from '../../http/request-context';
import { route } from '../../http/route';
import { authOf, requireRole } from '../../tenancy/require-auth';
import { conversationPdf } from './conversation-pdf';
import { getConversation, listConversations, liveCounts } from './conversations.queries';
import type { ConversationsService, Staff } from './conversations.service';

const staffOf = (req: Request): Staff => {
  const { user } = authOf(req);
  return { id: user.id, name: user.name, role: user.role };
};

/**
 * `/api/conversations`, behind requireAuth: every role works the inbox (agents are the ones who do); only
 * owners and admins delete a conversation.
 */
export function conversationsRoutes(conversations: ConversationsService): Router {
  const router = Router();
  router.get(
    '/',
    route({ query: listConversationsQuerySchema }, ({ query }) => listConversations(requestEm(), query)),
  );
  // Before `/:id`, which would take "live" for an id.
  router.get(
    '/live',
    route({}, (_input, req) =>
      liveCounts(requestEm(), authOf(req).tenantId, (tenantId) => conversations.visitorsOnline(tenantId)),
    ),
  );
  router.get(
    '/:id',
    route({ params: idParamsSchema }, ({ params }) => getConversation(requestEm(), params.id)),
  );
  router.get(
    '/:id/export.pdf',
    route({ params: idParamsSchema }, async ({ params }, _req, res) => {
      const pdf = await conversationPdf(await getConversation(requestEm(), params.id));
      // Personal data: no cache along the way may keep a copy.
      res.set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="conversation-${params.id}.pdf"`,
        'Cache-Control': 'no-store',
      });
      res.send(Buffer.from(pdf));
    }),
  );
  router.delete(
    '/:id',
    requireRole('owner', 'admin'),
    route({ params: idParamsSchema }, ({ params }, req) =>
      conversations.remove(requestEm(), params.id, staffOf(req)),
    ),
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
